"""record_decision, confirm_decision, winners and the working-group rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import decisions
from smartdialog.reviews.models import Decision, WorkingGroup
from tests.factories import make_user
from tests.reviews.conftest import make_admitted

from .conftest import decide, make_finalists

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.message for e in errors] for field, errors in error.error_dict.items()}


def test_record_decision_stores_snapshot_protocol_and_audit(group, nomination, finalists, members):
    decision = decide(group, nomination, finalists, by=members[0])
    assert decision.is_current is True
    assert decision.winner == finalists[0].submission
    assert {u.pk for u in decision.present.all()} == {u.pk for u in members}
    assert [f["title"] for f in decision.finalists] == [f.submission.title for f in finalists]
    assert [f["score"] for f in decision.finalists] == [f.score for f in finalists]
    assert len(decision.preferences) == 3
    assert decision.protocol.read(4) == b"%PDF"
    assert len(decision.protocol_sha256) == 64
    assert (
        AuditEntry.objects.filter(
            action="reviews.decision_recorded", object_id=str(decision.pk)
        ).count()
        == 1
    )


def test_decision_without_quorum_is_refused(group, nomination, finalists, members):
    with pytest.raises(ValidationError) as refused:
        decide(group, nomination, finalists, by=members[0], present=members[:1])
    assert list(_codes(refused.value)) == ["present"]
    assert Decision.objects.count() == 0


def test_non_finalist_winner_is_refused(edition, group, nomination, finalists, members):
    outsider_practice = make_admitted(edition, title="Не финалист")
    with pytest.raises(ValidationError) as refused:
        decide(
            group,
            nomination,
            finalists,
            by=members[0],
            winner=outsider_practice,
            preferences={u.pk: finalists[0].submission_id for u in members},
        )
    assert list(_codes(refused.value)) == ["winner"]
    assert Decision.objects.count() == 0


def test_preference_from_an_absent_member_is_refused(group, nomination, finalists, members):
    winner = finalists[0].submission
    with pytest.raises(ValidationError) as refused:
        decide(
            group,
            nomination,
            finalists,
            by=members[0],
            present=members[:2],
            preferences={u.pk: winner.pk for u in members},
        )
    assert list(_codes(refused.value)) == ["preferences"]


def test_preference_for_a_non_finalist_is_refused(edition, group, nomination, finalists, members):
    other = make_admitted(edition, title="Не финалист")
    with pytest.raises(ValidationError) as refused:
        decide(
            group,
            nomination,
            finalists,
            by=members[0],
            preferences={
                members[0].pk: other.pk,
                members[1].pk: finalists[0].submission_id,
                members[2].pk: finalists[0].submission_id,
            },
        )
    assert list(_codes(refused.value)) == ["preferences"]


def test_nomination_of_another_group_is_refused(edition, organiser, group, members):
    other = edition.nominations.get(code="1.2")
    finalists = make_finalists(edition, organiser, code="1.2")
    with pytest.raises(ValidationError) as refused:
        decide(group, other, finalists, by=members[0])
    assert "nomination" in _codes(refused.value)


def test_a_second_decision_is_refused_unless_it_supersedes(group, nomination, finalists, members):
    first = decide(group, nomination, finalists, by=members[0])
    with pytest.raises(ValidationError) as refused:
        decide(group, nomination, finalists, by=members[1], winner=finalists[1].submission)
    assert list(_codes(refused.value)) == ["supersedes"]

    second = decide(
        group,
        nomination,
        finalists,
        by=members[1],
        winner=finalists[1].submission,
        supersedes=first,
    )
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert second.supersedes == first
    assert decisions.current_decision(nomination) == second


def test_superseding_an_old_decision_is_refused(group, nomination, finalists, members):
    first = decide(group, nomination, finalists, by=members[0])
    second = decide(group, nomination, finalists, by=members[0], supersedes=first)
    with pytest.raises(ValidationError) as refused:
        decide(group, nomination, finalists, by=members[0], supersedes=first)
    assert list(_codes(refused.value)) == ["supersedes"]
    assert decisions.current_decision(nomination) == second


def test_recorded_decision_cannot_be_changed(group, nomination, finalists, members):
    decision = decide(group, nomination, finalists, by=members[0])
    decision.winner = finalists[1].submission
    with pytest.raises(ValidationError):
        decision.save()
    decision.refresh_from_db()
    assert decision.winner == finalists[0].submission


def test_outsider_cannot_record(group, nomination, finalists, outsider):
    with pytest.raises(PermissionDenied):
        decide(group, nomination, finalists, by=outsider)


def test_confirmation_is_audited_and_only_once(group, nomination, finalists, members, organiser):
    decision = decide(group, nomination, finalists, by=members[0])
    with pytest.raises(PermissionDenied):
        decisions.confirm_decision(decision, members[0])
    confirmed = decisions.confirm_decision(decision, organiser)
    assert (confirmed.confirmed_by, confirmed.confirmed_at is not None) == (organiser, True)
    assert AuditEntry.objects.filter(action="reviews.decision_confirmed").count() == 1
    with pytest.raises(ValidationError):
        decisions.confirm_decision(decision, organiser)


def test_winners_lists_only_confirmed_current_decisions(
    edition, organiser, group, nomination, finalists, members
):
    first = decide(group, nomination, finalists, by=members[0])
    assert decisions.winners(edition) == []
    decisions.confirm_decision(first, organiser)
    second = decide(
        group,
        nomination,
        finalists,
        by=members[0],
        winner=finalists[2].submission,
        supersedes=first,
    )
    assert decisions.winners(edition) == []  # the confirmed one is replaced, the new one not yet
    decisions.confirm_decision(second, organiser)
    [winner] = decisions.winners(edition)
    assert (winner.submission, winner.nomination, winner.region) == (
        finalists[2].submission,
        nomination,
        finalists[2].submission.organization.region,
    )


def test_replaced_decision_cannot_be_confirmed(group, nomination, finalists, members, organiser):
    first = decide(group, nomination, finalists, by=members[0])
    decide(group, nomination, finalists, by=members[0], supersedes=first)
    with pytest.raises(ValidationError):
        decisions.confirm_decision(first, organiser)


def test_future_meeting_date_is_refused(group, nomination, finalists, members):
    with pytest.raises(ValidationError) as refused:
        decide(
            group,
            nomination,
            finalists,
            by=members[0],
            held_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert list(_codes(refused.value)) == ["held_on"]


def test_group_quorum_over_members_and_strangers_are_refused(edition, organiser, members):
    stranger = make_user("stranger@example.ru")
    with pytest.raises(ValidationError) as refused:
        decisions.save_working_group(
            WorkingGroup(edition=edition, title="Группа", quorum=5),
            members=[*members, stranger],
            nominations=edition.nominations.all(),
            by=organiser,
        )
    assert set(_codes(refused.value)) == {"members", "quorum"}


def test_a_nomination_has_one_group(edition, organiser, group, members):
    with pytest.raises(ValidationError) as refused:
        decisions.save_working_group(
            WorkingGroup(edition=edition, title="Вторая", quorum=1),
            members=members,
            nominations=edition.nominations.all(),
            by=organiser,
        )
    assert list(_codes(refused.value)) == ["nominations"]


def test_group_by_direction_takes_its_nominations(edition, organiser, members):
    group = decisions.save_working_group(
        WorkingGroup(
            edition=edition,
            title="По направлению",
            quorum=2,
            direction=edition.directions.get(),
        ),
        members=members,
        nominations=[],
        by=organiser,
    )
    assert sorted(group.nominations.values_list("code", flat=True)) == ["1.1", "1.2"]
    assert AuditEntry.objects.filter(action="reviews.working_group_created").count() == 1


def test_members_present_cannot_be_changed(group, nomination, finalists, members):
    decision = decide(group, nomination, finalists, by=members[0], present=members[:2])
    with pytest.raises(ValidationError), transaction.atomic():
        decision.present.add(members[2])
    assert decision.present.count() == 2
