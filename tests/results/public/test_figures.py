"""Figures from hand-made vote sets: ranking arithmetic, regions, time, cuts, the cache key."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smartdialog.reference.population import population
from smartdialog.results import figures
from smartdialog.results.figures import Filters, Practice, rank
from smartdialog.voting import sealing
from smartdialog.voting.models import BallotEntry, BallotSection
from smartdialog.voting.services import exclude, restore
from tests.factories import moscow

from .conftest import put, put_many


def practices(*counts):
    return [
        Practice(
            entry_id=i,
            submission_id=i,
            title=f"P{i}",
            organization="",
            region_code="77",
            nomination_code="",
            counted=n,
        )
        for i, n in enumerate(counts, start=1)
    ]


def summary(ranked):
    return [(p.entry_id, p.rank, p.share, p.margin, p.multiple) for p in ranked]


# --- ranking arithmetic (no database) --------------------------------------------------------


def test_rank_gives_share_margin_and_multiple_over_the_mean_of_the_others():
    ranked = rank(practices(1, 6, 3))
    # 6 ÷ mean(3, 1) = 3; 3 ÷ mean(6, 1) = 0.857…; 1 ÷ mean(6, 3) = 0.222…
    assert summary(ranked) == [
        (2, 1, Decimal("60.0"), 3, Decimal("3.0")),
        (3, 2, Decimal("30.0"), 2, Decimal("0.9")),
        (1, 3, Decimal("10.0"), None, Decimal("0.2")),
    ]


def test_tied_practices_share_a_rank_and_keep_ballot_order():
    ranked = rank(practices(2, 1, 2))
    assert summary(ranked) == [
        (1, 1, Decimal("40.0"), 0, Decimal("1.3")),
        (3, 1, Decimal("40.0"), 1, Decimal("1.3")),
        (2, 3, Decimal("20.0"), None, Decimal("0.5")),
    ]


def test_a_single_practice_has_the_whole_share_and_no_margin_or_multiple():
    assert summary(rank(practices(5))) == [(1, 1, Decimal("100.0"), None, None)]


def test_a_section_without_votes_has_no_share_and_no_multiple():
    assert summary(rank(practices(0, 0))) == [(1, 1, None, 0, None), (2, 1, None, None, None)]


def test_a_leader_over_practices_without_votes_has_no_multiple():
    assert summary(rank(practices(0, 4))) == [
        (2, 1, Decimal("100.0"), 4, None),
        (1, 2, Decimal("0.0"), None, Decimal("0.0")),
    ]


def test_an_empty_section_ranks_nothing():
    assert rank([]) == []


# --- computed from votes --------------------------------------------------------------------


def test_compute_counts_votes_by_practice_region_and_voter(closed_ballot, entries):
    h1, h2, e1, _e2 = entries
    put_many(h1, {"78": 3, "77": 2, "87": 1})
    put_many(h2, {"78": 1})
    both = put(h1, "50")
    put(e1, voter=both.voter)
    result = figures.compute(closed_ballot)
    health, education = result.sections
    assert [(p.entry_id, p.counted, p.rank) for p in health.practices] == [
        (h1.pk, 7, 1),
        (h2.pk, 1, 2),
    ]
    assert health.practices[0].regions == {"78": 3, "77": 2, "87": 1, "50": 1}
    assert health.practices[0].multiple == Decimal("7.0")
    assert [p.counted for p in education.practices] == [1, 0]
    assert (result.counted, result.excluded, result.voters) == (9, 0, 8)
    # The voter from 50 voted twice: two votes, one voter.
    assert (result.regions["50"].votes, result.regions["50"].voters) == (2, 1)
    assert (result.regions["87"].votes, result.regions["87"].voters) == (1, 1)
    assert [r.code for r in result.most_active(2)] == ["78", "77"]


def test_a_section_with_one_practice_and_an_empty_section(closed_ballot, entries):
    BallotSection.objects.create(ballot=closed_ballot, title="Пустое", order=3)
    BallotEntry.objects.filter(pk=entries[3].pk).delete()  # education keeps one practice
    put(entries[2], "77")
    result = figures.compute(closed_ballot)
    education, empty = result.sections[1:]
    only = education.practices[0]
    assert (only.counted, only.share, only.margin, only.multiple) == (
        1,
        Decimal("100.0"),
        None,
        None,
    )
    assert (empty.title, empty.practices, empty.counted, empty.leader) == ("Пустое", [], 0, None)


def test_voters_per_100k_use_the_stated_population(closed_ballot, entries):
    put_many(entries[0], {"87": 1, "77": 3})
    result = figures.compute(closed_ballot)
    chukotka = result.regions["87"]
    assert chukotka.population == population()["87"]
    expected = (Decimal(100_000) / population()["87"]).quantize(Decimal("0.01"))
    assert chukotka.per_100k == expected
    assert result.most_active_per_100k(1)[0].code == "87"  # one voter in a small region


def test_excluded_votes_are_counted_apart(closed_ballot, entries, organiser):
    h1 = entries[0]
    votes = [put(h1, "77") for _ in range(3)]
    exclude(votes[0], reason="Кластер по IP", by=organiser)
    practice = figures.compute(closed_ballot).practice(h1.submission_id)
    assert (practice.counted, practice.excluded) == (2, 1)
    assert (practice.regions, practice.excluded_regions) == ({"77": 2}, {"77": 1})


def test_votes_are_bucketed_by_moscow_hour_and_day(closed_ballot, entries):
    h1 = entries[0]
    put(h1, at=moscow(2030, 11, 7, 23, 30))  # 20:30 UTC
    put(h1, at=moscow(2030, 11, 8, 0, 10))
    put(h1, at=moscow(2030, 11, 8, 0, 50))
    practice = figures.compute(closed_ballot).practice(h1.submission_id)
    assert figures.by_day(practice.hours) == {
        datetime.date(2030, 11, 7): 1,
        datetime.date(2030, 11, 8): 2,
    }
    by_hour = figures.by_hour_of_day(practice.hours)
    assert (by_hour[23], by_hour[0], by_hour[20], sum(by_hour.values())) == (1, 2, 0, 3)


def test_districts_sum_their_regions(closed_ballot, entries):
    put_many(entries[0], {"77": 2, "50": 1, "78": 4})
    practice = figures.compute(closed_ballot).practice(entries[0].submission_id)
    districts = figures.by_district(practice.regions)
    assert len(districts) == 8
    assert (districts["central"], districts["northwestern"], districts["southern"]) == (3, 4, 0)


def test_filters_cut_by_region_direction_nomination_and_days(closed_ballot, entries):
    h1, h2, e1, _e2 = entries
    put(h1, "77", at=moscow(2030, 11, 7, 12))
    put(h1, "78", at=moscow(2030, 11, 9, 12))
    put(h2, "77", at=moscow(2030, 11, 8, 12))
    put(e1, "77", at=moscow(2030, 11, 8, 12))

    def counts(**cut):
        result = figures.compute(closed_ballot, Filters(**cut))
        return {p.entry_id: p.counted for p in result.practices}

    assert counts(region="77") == {h1.pk: 1, h2.pk: 1, e1.pk: 1, entries[3].pk: 0}
    assert counts(direction=2) == {e1.pk: 1, entries[3].pk: 0}
    assert counts(nomination="1.2") == {h2.pk: 1}
    assert counts(day_from=datetime.date(2030, 11, 8), day_to=datetime.date(2030, 11, 8)) == {
        h1.pk: 0,
        h2.pk: 1,
        e1.pk: 1,
        entries[3].pk: 0,
    }


def test_parse_filters_names_the_bad_value(edition, closed_ballot):
    assert figures.parse_filters(edition, {"region": "77", "direction": "2"}) == Filters(
        region="77", direction=2
    )
    bad = [
        ({"region": "99"}, "Нет региона с кодом «99»"),
        ({"direction": "7"}, "нет направления с номером «7»"),
        ({"nomination": "9.9"}, "нет номинации «9.9»"),
        ({"from": "07.11.2023"}, "«07.11.2023» — не дата"),
        ({"from": "2030-11-09", "to": "2030-11-08"}, "заканчивается раньше, чем начинается"),
    ]
    for params, message in bad:
        with pytest.raises(ValidationError) as caught:
            figures.parse_filters(edition, params)
        assert message in caught.value.messages[0]


def test_the_cache_key_moves_with_sealing_and_exclusions(closed_ballot, entries, organiser):
    vote = put(entries[0])
    first = figures.version(closed_ballot)
    sealing.seal(closed_ballot)
    sealed = figures.version(closed_ballot)
    exclusion = exclude(vote, reason="бот", by=organiser)
    excluded = figures.version(closed_ballot)
    restore(exclusion, by=organiser)
    restored = figures.version(closed_ballot)
    assert len({first, sealed, excluded, restored}) == 4


def test_cached_figures_never_outlive_an_exclusion(closed_ballot, entries, organiser):
    votes = [put(entries[0]) for _ in range(3)]
    assert figures.cached(closed_ballot).counted == 3
    exclude(votes[0], reason="бот", by=organiser)
    assert (figures.cached(closed_ballot).counted, figures.cached(closed_ballot).excluded) == (2, 1)
