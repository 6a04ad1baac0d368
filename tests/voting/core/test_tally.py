"""Counts by aggregation, per entry and per entry × region, with exclusions apart."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartdialog.audit.models import AuditEntry
from smartdialog.voting.models import Vote
from smartdialog.voting.services import cast, exclude, restore
from smartdialog.voting.tally import tally

from .conftest import make_voter, sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(ballot):
    (health, (first, second)), _education = sections(ballot)
    for region, entry in [("77", first), ("77", first), ("50", first), ("50", second)]:
        cast(make_voter(region), ballot, {health.pk: [entry.pk]})
    return ballot, first, second


def _row(result, entry):
    return next(r for r in result.entries if r.entry.pk == entry.pk)


def test_tally_counts_per_entry_and_region(voted):
    ballot, first, second = voted
    result = tally(ballot)
    assert (_row(result, first).counted, _row(result, first).excluded) == (3, 0)
    assert _row(result, first).regions == {"77": 2, "50": 1}
    assert _row(result, second).regions == {"50": 1}
    assert result.counted == 4
    assert [r.counted for r in result.entries if r.entry.section.order == 2] == [0, 0]


def test_exclusion_moves_a_vote_apart_and_restore_brings_it_back(voted, organiser):
    ballot, first, _second = voted
    vote = Vote.objects.filter(entry=first, region__code="77").first()
    exclusion = exclude(vote, reason="Кластер по IP", by=organiser)
    result = tally(ballot, counted_only=False)
    row = _row(result, first)
    assert (row.counted, row.excluded) == (2, 1)
    assert row.regions == {"77": 1, "50": 1}
    assert row.excluded_regions == {"77": 1}
    assert _row(tally(ballot), first).regions == {"77": 1, "50": 1}
    with pytest.raises(ValidationError):
        exclude(vote, reason="ещё раз", by=organiser)
    restore(exclusion, by=organiser)
    assert (_row(tally(ballot), first).counted, _row(tally(ballot), first).excluded) == (3, 0)
    with pytest.raises(ValidationError):
        restore(exclusion, by=organiser)
    actions = list(
        AuditEntry.objects.filter(edition=ballot.edition).values_list("action", flat=True)
    )
    assert "voting.vote_excluded" in actions and "voting.vote_restored" in actions


def test_exclusion_needs_a_reason_and_an_organiser(voted, organiser, outsider):
    _ballot, first, _second = voted
    vote = Vote.objects.filter(entry=first).first()
    with pytest.raises(ValidationError):
        exclude(vote, reason="  ", by=organiser)
    with pytest.raises(PermissionDenied):
        exclude(vote, reason="bots", by=outsider)
    assert not vote.exclusions.exists()
