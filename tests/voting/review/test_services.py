"""Excluding and restoring a signal's group at once: tally, audit, refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartdialog.audit.models import AuditEntry
from smartdialog.voting.models import VoteExclusion
from smartdialog.voting.services import exclude, exclude_group, restore_group
from smartdialog.voting.tally import tally

from .conftest import add_votes, hour_ago
from .test_anomalies import minutes

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


@pytest.fixture
def farm(ballot, entry, other_entry):
    """Ten votes from one address and five ordinary ones."""
    add_votes(other_entry, minutes(hour_ago(6), 5))
    return add_votes(entry, minutes(hour_ago(5), 10), ips=[ADDRESS] * 10)


def counts(ballot, entry):
    row = next(r for r in tally(ballot).entries if r.entry == entry)
    return row.counted, row.excluded


def test_a_group_is_excluded_at_once_and_restored_at_once(ballot, entry, farm, organiser):
    assert counts(ballot, entry) == (10, 0)
    n = exclude_group(ballot, "ip", ADDRESS, reason=" Ферма ", seen=10, by=organiser)
    assert n == 10
    assert counts(ballot, entry) == (0, 10)
    assert tally(ballot).counted == 5
    assert set(VoteExclusion.objects.values_list("signal", "group", "reason", "excluded_by")) == {
        ("ip", ADDRESS, "Ферма", organiser.pk)
    }
    [entry_log] = AuditEntry.objects.filter(action="voting.group_excluded")
    assert entry_log.after["signal"] == "ip"
    assert entry_log.after["votes"] == 10
    assert sorted(entry_log.after["receipts"]) == sorted(v.receipt for v in farm)
    assert entry_log.reason == "One address: Ферма"
    assert entry_log.actor == organiser

    assert restore_group(ballot, "ip", ADDRESS, by=organiser) == 10
    assert counts(ballot, entry) == (10, 0)
    assert not VoteExclusion.objects.filter(revoked_at__isnull=True).exists()
    [restored] = AuditEntry.objects.filter(action="voting.group_restored")
    assert (restored.before["votes"], restored.after["votes"]) == (10, 0)


def test_votes_excluded_one_by_one_are_left_as_they_are(ballot, entry, farm, organiser):
    single = exclude(farm[0], reason="Бот", by=organiser)
    assert exclude_group(ballot, "ip", ADDRESS, reason="Ферма", seen=10, by=organiser) == 9
    assert counts(ballot, entry) == (0, 10)
    restore_group(ballot, "ip", ADDRESS, by=organiser)
    single.refresh_from_db()
    assert single.revoked_at is None
    assert counts(ballot, entry) == (9, 1)


def refused(ballot, user, **overrides) -> str:
    arguments = {"code": "ip", "key": ADDRESS, "reason": "Ферма", "seen": 10} | overrides
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        exclude_group(ballot, by=user, **arguments)
    assert AuditEntry.objects.count() == audited
    return " ".join(error.value.messages)


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_is_refused(ballot, farm, organiser, reason):
    assert refused(ballot, organiser, reason=reason) == (
        "Say why the votes of this group are excluded."
    )
    assert not VoteExclusion.objects.exists()


def test_an_unknown_signal_or_group_is_refused(ballot, farm, organiser):
    assert refused(ballot, organiser, code="nosuch") == (
        "There is no such signal: open the review page again."
    )
    assert refused(ballot, organiser, key="203.0.113.8").startswith(
        "This group is no longer among the signals"
    )
    assert not VoteExclusion.objects.exists()


def test_a_group_that_changed_since_it_was_seen_is_refused(ballot, entry, farm, organiser):
    add_votes(entry, minutes(hour_ago(2), 1), ips=[ADDRESS])
    assert refused(ballot, organiser, seen=10) == (
        "The group has changed since you opened it: it has 11 votes, you saw 10. "
        "Look at it again before excluding."
    )
    assert not VoteExclusion.objects.exists()


def test_a_group_already_excluded_is_refused(ballot, farm, organiser):
    exclude_group(ballot, "ip", ADDRESS, reason="Ферма", seen=10, by=organiser)
    assert refused(ballot, organiser) == "All votes of this group are already excluded."
    assert VoteExclusion.objects.count() == 10


def test_restoring_a_group_with_nothing_excluded_is_refused(ballot, farm, organiser):
    with pytest.raises(ValidationError) as error:
        restore_group(ballot, "ip", ADDRESS, by=organiser)
    assert error.value.messages == ["No vote of this group is excluded: nothing to restore."]


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_only_organisers_exclude_or_restore_a_group(request, ballot, entry, farm, organiser, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        exclude_group(ballot, "ip", ADDRESS, reason="Ферма", seen=10, by=user)
    assert not VoteExclusion.objects.exists()
    exclude_group(ballot, "ip", ADDRESS, reason="Ферма", seen=10, by=organiser)
    with pytest.raises(PermissionDenied):
        restore_group(ballot, "ip", ADDRESS, by=user)
    assert counts(ballot, entry) == (0, 10)
