"""Casting: the window, identity, region, choices on the ballot, one vote per section."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smartdialog.reference.models import Region
from smartdialog.voting.models import Vote
from smartdialog.voting.services import cast, normalise_receipt

from .conftest import make_ballot, make_voter, sections

pytestmark = pytest.mark.django_db


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_cast_records_one_vote_per_choice_with_receipt_and_region(ballot):
    voter = make_voter("50")
    (health, (first, _second)), (education, (third, _fourth)) = sections(ballot)
    votes = cast(voter, ballot, {health.pk: [first.pk], education.pk: [third.pk]}, ip="10.0.0.1")
    assert len(votes) == 2
    stored = Vote.objects.filter(voter=voter).order_by("section__order")
    assert [v.entry_id for v in stored] == [first.pk, third.pk]
    assert {v.region.code for v in stored} == {"50"}
    assert {v.slot for v in stored} == {1}
    assert all(
        re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", v.receipt)
        for v in stored
    )
    assert all(v.batch_id is None for v in stored)  # casting never seals


def test_region_is_kept_as_it_was_when_cast(ballot):
    voter = make_voter("50")
    (health, (first, _)), _education = sections(ballot)
    cast(voter, ballot, {health.pk: [first.pk]})
    voter.region = Region.objects.get(code="77")
    voter.save()
    assert Vote.objects.get(voter=voter).region.code == "50"


def test_second_vote_in_a_section_is_refused_with_the_earlier_receipt(ballot):
    voter = make_voter()
    (health, (first, second)), _education = sections(ballot)
    [vote] = cast(voter, ballot, {health.pk: [first.pk]})
    with pytest.raises(ValidationError) as excinfo:
        cast(voter, ballot, {health.pk: [second.pk]})
    assert "already voted" in _messages(excinfo)
    assert vote.receipt in _messages(excinfo)
    assert Vote.objects.filter(voter=voter).count() == 1


def test_vote_outside_the_window_is_refused_with_moscow_dates(edition):
    now = timezone.now()
    ballot = make_ballot(
        edition,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now - datetime.timedelta(days=1),
    )
    (health, (first, _)), _education = sections(ballot)
    with pytest.raises(ValidationError) as excinfo:
        cast(make_voter(), ballot, {health.pk: [first.pk]})
    text = _messages(excinfo)
    assert text.startswith("Voting is closed")
    assert timezone.localtime(ballot.closes_at).strftime("%d.%m.%Y %H:%M") in text
    assert not Vote.objects.exists()


def test_entry_of_another_section_is_refused(ballot):
    (health, _), (_education, (third, _fourth)) = sections(ballot)
    with pytest.raises(ValidationError) as excinfo:
        cast(make_voter(), ballot, {health.pk: [third.pk]})
    assert "in another section" in _messages(excinfo)
    assert not Vote.objects.exists()


def test_entry_not_on_the_ballot_is_refused(ballot):
    (health, _), _education = sections(ballot)
    with pytest.raises(ValidationError) as excinfo:
        cast(make_voter(), ballot, {health.pk: [999999]})
    assert "not on the ballot" in _messages(excinfo)


def test_more_choices_than_allowed_are_refused(ballot):
    (health, (first, second)), _education = sections(ballot)
    with pytest.raises(ValidationError) as excinfo:
        cast(make_voter(), ballot, {health.pk: [first.pk, second.pk]})
    assert "at most 1" in _messages(excinfo)
    assert not Vote.objects.exists()


def test_two_choices_take_slots_one_and_two(edition):
    ballot = make_ballot(edition, choices=2)
    (health, (first, second)), _education = sections(ballot)
    cast(make_voter(), ballot, {health.pk: [first.pk, second.pk]})
    assert sorted(Vote.objects.values_list("slot", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [({"verified": False}, "confirm"), ({"region_code": None}, "region")],
)
def test_voter_without_identity_or_region_is_refused(ballot, fields, expected):
    (health, (first, _)), _education = sections(ballot)
    with pytest.raises(ValidationError) as excinfo:
        cast(make_voter(**fields), ballot, {health.pk: [first.pk]})
    assert expected in _messages(excinfo).lower()


def test_receipt_is_read_leniently():
    assert normalise_receipt(" k7q4 9xmd 2p ") == "K7Q4-9XMD-2P"
    assert normalise_receipt("K7Q4-9XMD-2") is None
    assert normalise_receipt("O7Q4-9XMD-2P") is None  # O is not in the alphabet


def test_entries_changed_before_the_first_vote_are_seen(ballot):
    from smartdialog.voting.models import BallotEntry

    (health, _health_entries), (_education, (third, _fourth)) = sections(ballot)
    with pytest.raises(ValidationError):  # refused: nothing committed, nothing kept
        cast(make_voter(), ballot, {health.pk: [third.pk]})
    BallotEntry.objects.filter(pk=third.pk).update(section=health)  # moved before any vote
    [vote] = cast(make_voter(), ballot, {health.pk: [third.pk]})
    assert vote.section_id == health.pk


def test_a_repeated_cast_with_a_new_section_records_nothing(ballot):
    voter = make_voter()
    (health, (first, second)), (education, (third, _fourth)) = sections(ballot)
    [earlier] = cast(voter, ballot, {health.pk: [first.pk]})
    with pytest.raises(ValidationError) as excinfo:
        cast(voter, ballot, {health.pk: [second.pk], education.pk: [third.pk]})
    assert earlier.receipt in _messages(excinfo)
    assert list(Vote.objects.filter(voter=voter)) == [earlier]  # not the education vote either
