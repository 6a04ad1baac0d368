"""The planned demo vote (no database): seed 004's figures, its shape, its planted
clusters, and the same plan for the same seed."""

import csv
import datetime
import ipaddress
import statistics
from collections import Counter

import pytest

from smartdialog.reference.loader import DATA_DIR
from smartdialog.voting.demo import data
from smartdialog.voting.demo.plan import apportion, plan_vote, section_of
from smartdialog.voting.identity import normalise_phone

from .published import check_leaders, check_most_active, check_regions


@pytest.fixture(scope="module")
def districts():
    """Region code → federal district, from the reference data the regions are loaded from."""
    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["federal_district"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def planned(districts):
    return plan_vote(districts, seed=1)


def counts(voters):
    totals, cells = Counter(), Counter()
    for voter in voters:
        for practice in voter.choices:
            totals[practice] += 1
            cells[practice, voter.region] += 1
    return totals, cells


def ordinary(voters):
    return [v for v in voters if not v.cluster]


def moscow(moment):
    return moment.astimezone(data.MOSCOW)


def test_published_figures_hold_with_and_without_the_planted_clusters(planned, districts):
    for voters in (planned, ordinary(planned)):
        totals, cells = counts(voters)
        check_leaders(totals)
        check_regions(cells, districts)
        check_most_active(Counter(v.region for v in voters))
    assert len(ordinary(planned)) > 30_000  # «больше 30 тыс. человек», clusters excluded


def test_every_voter_chooses_one_practice_in_one_to_three_sections(planned):
    sections = Counter(len(v.choices) for v in planned)
    assert set(sections) == {1, 2, 3}
    assert sections[1] > sections[2] > sections[3] > 0
    for voter in planned:
        assert len({section_of(p) for p in voter.choices}) == len(voter.choices)
        assert set(voter.choices) <= set(data.VOTES)
    assert min(counts(planned)[0].values()) < 600  # some practices get few votes


def test_voters_have_unique_valid_mobile_numbers(planned):
    phones = [v.phone for v in planned]
    assert len(set(phones)) == len(phones)
    for phone in phones[::50] + [v.phone for v in planned if v.cluster]:
        assert normalise_phone(phone) == phone


def test_codes_come_shortly_before_the_vote_and_votes_fill_the_window(planned):
    for voter in planned:
        assert data.OPENS_AT <= voter.code_at < voter.verified_at < voter.cast_at
        assert voter.cast_at < data.CLOSES_AT
        seconds = (voter.cast_at - voter.code_at).total_seconds()
        low, high = data.CLUSTER_CODE_SECONDS if voter.cluster else data.CODE_SECONDS
        assert low <= seconds <= high


def test_launch_peak_daily_rhythm_and_final_push(planned):
    voters = ordinary(planned)
    hours = Counter(moscow(v.cast_at).replace(minute=0, second=0, microsecond=0) for v in voters)
    window_hours = (data.CLOSES_AT - data.OPENS_AT) / datetime.timedelta(hours=1)
    mean_hour = len(voters) / window_hours
    first_day = [n for h, n in hours.items() if h.date() == data.OPENS_AT.date()]
    assert max(first_day) > 4 * mean_hour
    by_hour = Counter(moscow(v.cast_at).hour for v in voters)
    night = statistics.mean(by_hour[h] for h in (1, 2, 3, 4))
    day = statistics.mean(by_hour[h] for h in range(10, 22))
    assert night < 0.3 * day
    days = Counter(moscow(v.cast_at).date() for v in voters)
    ordered = [days[d] for d in sorted(days)]
    assert len(ordered) == 32
    assert statistics.median(ordered) < ordered[-1] < ordered[0]


def test_ordinary_voters_come_from_many_subnets_with_a_few_browsers(planned):
    voters = ordinary(planned)
    subnets = {ipaddress.ip_network(f"{v.ip}/24", strict=False) for v in voters}
    assert len(subnets) > 0.95 * len(voters)
    agents = {v.user_agent for v in voters}
    assert agents == {agent for agent, _weight in data.USER_AGENTS}


def test_planted_clusters(planned):
    agents = {v.user_agent for v in ordinary(planned)}
    for cluster in data.CLUSTERS:
        members = sorted(
            (v for v in planned if v.cluster == cluster["name"]), key=lambda v: v.phone
        )
        assert len(members) == cluster["voters"]
        assert {v.choices for v in members} == {(cluster["practice"],)}
        assert {v.ip.rsplit(".", 1)[0] for v in members} == {cluster["subnet"]}
        assert {v.user_agent for v in members} == {cluster["user_agent"]}
        assert cluster["user_agent"] not in agents
        numbers = [int(v.phone) for v in members]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        end = cluster["start"] + datetime.timedelta(minutes=cluster["minutes"])
        assert all(cluster["start"] <= v.cast_at < end for v in members)
    night_farm = [v for v in planned if v.cluster == "night-farm"]
    assert {moscow(v.cast_at).hour for v in night_farm} == {3}
    assert len(night_farm) == 150
    # The clusters back practices that lead nothing.
    leaders = {"1.1", "2.3", "2.1", "3.1"}
    assert not leaders & {c["practice"] for c in data.CLUSTERS}


def test_same_seed_same_plan_other_seed_other_tail_same_figures(planned, districts):
    assert plan_vote(districts, seed=1) == planned
    other = plan_vote(districts, seed=2)
    assert {v.phone for v in other} != {v.phone for v in planned}
    assert counts(other)[1] != counts(planned)[1]
    totals, cells = counts(other)
    check_leaders(totals)
    check_regions(cells, districts)
    assert totals == counts(planned)[0]


def test_a_small_scale_keeps_the_shape(districts):
    small = plan_vote(districts, seed=3, scale=0.05)
    totals, cells = counts(small)
    assert len(small) == round(data.VOTERS * 0.05) + sum(
        round(c["voters"] * 0.05) for c in data.CLUSTERS
    )
    assert totals["1.1"] == round(data.VOTES["1.1"] * 0.05)
    assert max(totals, key=lambda p: (p.startswith("3."), totals[p])) == "3.1"
    assert cells["1.1", "78"] == round(1_134 * 0.05)


def test_apportion_is_exact_and_respects_the_cap():
    weights = {"a": 10.0, "b": 1.0, "c": 1.0, "d": 0.0}
    assert apportion(12, weights) == {"a": 10, "b": 1, "c": 1, "d": 0}
    capped = apportion(12, weights, cap=5)
    assert capped == {"a": 5, "b": 4, "c": 3, "d": 0} or capped == {"a": 5, "b": 3, "c": 4, "d": 0}
    assert sum(capped.values()) == 12
    with pytest.raises(ValueError):
        apportion(12, {"a": 1.0}, cap=5)
