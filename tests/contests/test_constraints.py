"""The database itself keeps the invariants, whatever code writes to it (PostgreSQL)."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from smartdialog.accounts.models import Role, RoleAssignment
from smartdialog.audit.models import AuditEntry
from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import Nomination, Stage
from tests.factories import moscow

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_stage_end_after_start_is_a_check_constraint(edition):
    stage = edition.stages.get()
    with pytest.raises(IntegrityError, match="stage_end_after_start"), transaction.atomic():
        Stage.objects.filter(pk=stage.pk).update(ends_at=stage.starts_at)


def test_overlapping_stages_of_one_kind_are_excluded_by_the_database(edition):
    with pytest.raises(IntegrityError, match="stage_kind_no_overlap"), transaction.atomic():
        Stage.objects.create(
            edition=edition,
            kind=StageKind.INTAKE,
            starts_at=moscow(2030, 6, 1),
            ends_at=moscow(2030, 7, 1),
            planned_starts_at=moscow(2030, 6, 1),
            planned_ends_at=moscow(2030, 7, 1),
        )
    assert edition.stages.count() == 1


def test_adjacent_stages_of_one_kind_do_not_collide(edition):
    intake = edition.stages.get()
    Stage.objects.create(
        edition=edition,
        kind=StageKind.INTAKE,
        starts_at=intake.ends_at,
        ends_at=moscow(2030, 7, 1),
        planned_starts_at=intake.ends_at,
        planned_ends_at=moscow(2030, 7, 1),
    )
    assert edition.stages.count() == 2


def test_nomination_codes_are_unique_per_edition(edition):
    direction = edition.directions.get()
    with pytest.raises(IntegrityError, match="nomination_code_unique"), transaction.atomic():
        Nomination.objects.create(edition=edition, direction=direction, code="1.1", title="x")


def test_one_active_role_per_user_and_edition(edition, outsider):
    RoleAssignment.objects.create(user=outsider, edition=edition, role=Role.EXPERT)
    with pytest.raises(IntegrityError, match="one_active_role"), transaction.atomic():
        RoleAssignment.objects.create(user=outsider, edition=edition, role=Role.EXPERT)


def test_audit_rows_cannot_be_updated_or_deleted_even_in_sql(edition):
    entry = AuditEntry.objects.filter(edition=edition).first()
    for statement in (
        "UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == ""


def test_audit_model_refuses_changes_in_python(edition):
    from smartdialog.audit.models import AppendOnlyError

    entry = AuditEntry.objects.filter(edition=edition).first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
