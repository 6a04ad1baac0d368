import pytest
from django.core.exceptions import ValidationError

from smartdialog.audit.models import AuditEntry
from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import Direction, Nomination, Stage, StageDateChange
from smartdialog.contests.services import create_stage, delete_part, move_stage, save_part
from tests.factories import moscow

pytestmark = pytest.mark.django_db


def test_move_stage_keeps_old_and_new_dates_who_and_why(edition, organiser):
    stage = edition.stages.get(kind=StageKind.INTAKE)
    change = move_stage(
        stage,
        starts_at=stage.starts_at,
        ends_at=moscow(2030, 6, 30, 23, 59),
        by=organiser,
        reason="Продление по просьбам регионов",
    )
    stage.refresh_from_db()
    assert stage.ends_at == moscow(2030, 6, 30, 23, 59)
    assert stage.planned_ends_at == moscow(2030, 6, 18, 23, 59)
    assert (change.old_ends_at, change.new_ends_at) == (
        moscow(2030, 6, 18, 23, 59),
        moscow(2030, 6, 30, 23, 59),
    )
    assert change.changed_by == organiser
    entry = AuditEntry.objects.get(action="contests.stage_moved")
    assert entry.actor == organiser
    assert entry.edition == edition
    assert entry.reason == "Продление по просьбам регионов"
    assert entry.before["ends_at"] == "2030-06-18T20:59:00+00:00"  # stored in UTC
    assert entry.after["ends_at"] == "2030-06-30T20:59:00+00:00"


def test_move_stage_requires_a_reason_and_changes_nothing(edition, organiser):
    stage = edition.stages.get(kind=StageKind.INTAKE)
    with pytest.raises(ValidationError) as error:
        move_stage(
            stage, starts_at=stage.starts_at, ends_at=moscow(2030, 6, 30), by=organiser, reason="  "
        )
    assert "reason" in error.value.message_dict
    stage.refresh_from_db()
    assert stage.ends_at == moscow(2030, 6, 18, 23, 59)
    assert not StageDateChange.objects.exists()


def test_move_stage_refuses_end_before_start(edition, organiser):
    stage = edition.stages.get(kind=StageKind.INTAKE)
    with pytest.raises(ValidationError) as error:
        move_stage(
            stage,
            starts_at=moscow(2030, 7, 1),
            ends_at=moscow(2030, 6, 1),
            by=organiser,
            reason="ошибка",
        )
    assert error.value.message_dict == {"ends_at": ["Окончание должно быть позже начала."]}
    assert not StageDateChange.objects.exists()


def test_two_stages_of_one_kind_may_not_overlap(edition, organiser):
    second = Stage(
        edition=edition,
        kind=StageKind.INTAKE,
        starts_at=moscow(2030, 6, 1),
        ends_at=moscow(2030, 7, 1),
    )
    with pytest.raises(ValidationError) as error:
        create_stage(second, by=organiser)
    assert "starts_at" in error.value.message_dict
    assert edition.stages.filter(kind=StageKind.INTAKE).count() == 1


def test_stages_of_different_kinds_may_overlap(edition, organiser):
    create_stage(
        Stage(
            edition=edition,
            kind=StageKind.EVALUATION,
            starts_at=moscow(2030, 6, 1),
            ends_at=moscow(2030, 7, 16),
        ),
        by=organiser,
    )
    assert edition.stages.count() == 2


def test_save_part_records_before_and_after(edition, organiser):
    nomination = edition.nominations.get(code="1.1")
    nomination.title = "Новое название"
    save_part(nomination, by=organiser, reason="уточнение")
    entry = AuditEntry.objects.filter(action="contests.nomination_changed").get()
    assert entry.before["title"] == "Номинация 1.1"
    assert entry.after["title"] == "Новое название"
    assert entry.changes == [("title", "Номинация 1.1", "Новое название")]


def test_a_direction_with_nominations_cannot_be_deleted(edition, organiser):
    direction = edition.directions.get()
    with pytest.raises(ValidationError) as error:
        delete_part(direction, by=organiser)
    assert "номинации" in error.value.messages[0]
    assert Direction.objects.filter(pk=direction.pk).exists()


def test_an_empty_nomination_can_be_deleted_and_the_deletion_is_audited(edition, organiser):
    nomination = edition.nominations.get(code="1.2")
    delete_part(nomination, by=organiser, reason="дубль")
    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    entry = AuditEntry.objects.get(action="contests.nomination_deleted")
    assert (entry.edition, entry.reason, entry.before["code"]) == (edition, "дубль", "1.2")
