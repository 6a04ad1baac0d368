"""Each signal on hand-made votes: the suspicious group is found, ordinary voting is not."""

import datetime

import pytest

from smartdialog.voting import anomalies
from smartdialog.voting.anomalies import find_group, networks, phones, timing
from smartdialog.voting.models import VoteExclusion

from .conftest import BROWSER, HOUR, add_votes, code_sent, hour_ago, make_voters

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)


def groups(ballot, code):
    return anomalies.BY_CODE[code].groups(ballot)


def minutes(start, n):
    return [start + i * datetime.timedelta(minutes=1) for i in range(n)]


# --- one network, one browser ------------------------------------------------------------


def test_a_subnet_with_one_browser_is_a_group(ballot, entry):
    farm = add_votes(
        entry,
        minutes(hour_ago(5), 20),
        ips=[f"203.0.113.{i + 10}" for i in range(20)],
        agents=[BROWSER] * 20,
    )
    add_votes(entry, minutes(hour_ago(5), 30))  # ordinary voters
    [group] = groups(ballot, "subnet")
    assert (group.ip, group.user_agent, group.size, group.voters) == (
        "203.0.113.0/24",
        BROWSER,
        20,
        20,
    )
    assert sorted(group.votes.values_list("receipt", flat=True)) == sorted(v.receipt for v in farm)
    assert set(group.samples) <= {v.receipt for v in farm}


def test_an_ipv6_network_is_cut_at_64_bits(ballot, entry):
    add_votes(
        entry,
        minutes(hour_ago(5), 20),
        ips=[f"2001:db8:5:7:{i:x}::1" for i in range(20)],
        agents=[BROWSER] * 20,
    )
    [group] = groups(ballot, "subnet")
    assert (group.ip, group.size) == ("2001:db8:5:7::/64", 20)


def test_one_network_below_the_threshold_or_with_varied_browsers_is_not_flagged(ballot, entry):
    n = networks.SUBNET_MIN_VOTERS
    add_votes(
        entry,
        minutes(hour_ago(5), n - 1),
        ips=[f"203.0.113.{i + 10}" for i in range(n - 1)],
        agents=[BROWSER] * (n - 1),
    )
    add_votes(
        entry,
        minutes(hour_ago(4), 40),
        ips=[f"192.0.2.{i + 10}" for i in range(40)],
        agents=[f"{BROWSER} {i % 3}" for i in range(40)],
    )
    add_votes(
        entry,
        minutes(hour_ago(3), 40),
        ips=[f"10.{i}.0.1" for i in range(40)],
        agents=[BROWSER] * 40,
    )
    assert groups(ballot, "subnet") == []


# --- one address -------------------------------------------------------------------------


def test_many_voters_behind_one_address_are_a_group_and_a_few_are_not(ballot, entry):
    n = networks.SAME_IP_MIN_VOTERS
    add_votes(entry, minutes(hour_ago(5), n), ips=["203.0.113.7"] * n)
    add_votes(entry, minutes(hour_ago(5), n - 1), ips=["203.0.113.8"] * (n - 1))
    [group] = groups(ballot, "ip")
    assert (group.key, group.ip, group.size, group.voters) == ("203.0.113.7",) * 2 + (n, n)


# --- votes seconds after the code --------------------------------------------------------


def test_votes_seconds_after_the_code_are_grouped_by_practice(ballot, entry, other_entry):
    start = hour_ago(5)
    bots = make_voters(4)
    humans = make_voters(5)
    for i, voter in enumerate(bots):
        code_sent(voter, start + i * HOUR)
    for i, voter in enumerate(humans):
        code_sent(voter, start + i * HOUR)
    # A bot votes 2–3 s after its code; a person takes a minute or more.
    fast = add_votes(
        entry, [start + i * HOUR + (2 + i % 2) * SECOND for i in range(4)], voters=bots
    )
    add_votes(entry, [start + i * HOUR + 70 * SECOND for i in range(5)], voters=humans)
    [group] = groups(ballot, "fast")
    assert (group.key, group.entry, group.size) == (str(entry.pk), entry, 4)
    assert set(group.votes.values_list("receipt", flat=True)) == {v.receipt for v in fast}


def test_an_old_code_of_the_voter_or_a_fresh_code_of_someone_else_does_not_count(ballot, entry):
    start = hour_ago(5)
    voters = make_voters(4)
    strangers = make_voters(4)
    for i, (voter, stranger) in enumerate(zip(voters, strangers, strict=True)):
        code_sent(voter, start + i * HOUR - 5 * 60 * SECOND)
        code_sent(stranger, start + i * HOUR)
    add_votes(entry, [start + i * HOUR + 2 * SECOND for i in range(4)], voters=voters)
    assert groups(ballot, "fast") == []


def test_e_mail_voters_are_matched_by_address(ballot, entry):
    from smartdialog.voting.models import Voter

    start = hour_ago(5)
    voters = [
        Voter.objects.create(email=f"bot{i}@example.ru", region=v.region, verified_at=start)
        for i, v in enumerate(make_voters(3))
    ]
    for voter in voters:
        code_sent(voter, start)
    add_votes(entry, [start + 4 * SECOND] * 3, voters=voters)
    [group] = groups(ballot, "fast")
    assert group.size == 3


# --- bursts for one practice -------------------------------------------------------------


def test_an_hour_far_above_the_practice_s_usual_hours_is_a_burst(ballot, entry, other_entry):
    for h in range(2, 50):  # three votes an hour for two days, as many for the other
        add_votes(entry, minutes(hour_ago(h), 3))
        add_votes(other_entry, minutes(hour_ago(h), 3))
    burst_hour = hour_ago(20)
    burst = add_votes(entry, minutes(burst_hour + 5 * 60 * SECOND, 40))
    add_votes(other_entry, minutes(burst_hour, 10))
    [group] = groups(ballot, "burst")
    assert group.entry == entry
    assert group.key == f"{entry.pk}@{burst_hour:%Y-%m-%dT%H}"
    assert group.size == 43
    assert "43 votes" in group.detail and "77%" in group.detail and "54%" in group.detail
    assert {v.receipt for v in burst} <= set(group.votes.values_list("receipt", flat=True))


def test_a_steadily_popular_practice_has_no_burst(ballot, entry):
    for h in range(2, 40):
        add_votes(entry, minutes(hour_ago(h), 35))
    assert groups(ballot, "burst") == []


def test_a_rush_lifting_every_practice_alike_is_not_a_burst(ballot, entry, other_entry):
    for h in range(2, 50):
        add_votes(entry, minutes(hour_ago(h), 3))
        add_votes(other_entry, minutes(hour_ago(h), 2))
    add_votes(entry, minutes(hour_ago(30), 45))  # the opening: everyone votes
    add_votes(other_entry, minutes(hour_ago(30), 30))
    assert groups(ballot, "burst") == []


def test_threshold_is_median_plus_k_robust_deviations_with_a_minimum():
    assert timing.threshold([10, 12, 14], 3, 5, 1) == (12, 2, 12 + int(5 * 1.4826 * 2) + 1)
    assert timing.threshold([3], 100, 5, 30) == (0, 0, 30)


# --- night bursts ------------------------------------------------------------------------


def night_of(days_ago, hour):
    day = hour_ago(0) - datetime.timedelta(days=days_ago)
    return day.replace(hour=hour)


def test_a_night_with_many_votes_for_one_practice_is_a_night_burst(ballot, entry):
    for d in range(2, 9):
        add_votes(entry, [night_of(d, 3)])  # one vote on ordinary nights
        add_votes(entry, minutes(night_of(d, 14), 25))  # and a busy afternoon
    night = add_votes(entry, minutes(night_of(5, 2), 20))
    [group] = groups(ballot, "night")
    assert group.entry == entry
    assert group.size == 21
    assert {v.receipt for v in night} <= set(group.votes.values_list("receipt", flat=True))
    assert groups(ballot, "burst") == []  # 20 in an hour is below the hourly minimum


def test_busy_afternoons_are_not_night_bursts(ballot, entry):
    for d in range(2, 9):
        add_votes(entry, minutes(night_of(d, 12), 25))
    add_votes(entry, minutes(night_of(4, 6), 25))  # 06:00 is morning
    assert groups(ballot, "night") == []


# --- consecutive phone numbers -----------------------------------------------------------


def test_consecutive_numbers_of_voters_are_a_run(ballot, entry):
    n = phones.PHONE_RUN_MIN
    run = make_voters(n + 1, phones=[f"+7900555{i:04d}" for i in range(10, 11 + n)])
    short = make_voters(n - 1, phones=[f"+7900777{i:04d}" for i in range(n - 1)])
    # The next number registered but did not vote in this ballot: not part of the run.
    make_voters(1, phones=[f"+7900555{11 + n:04d}"])
    votes = add_votes(entry, minutes(hour_ago(3), n + 1), voters=run)
    add_votes(entry, minutes(hour_ago(3), n - 1), voters=short)
    add_votes(entry, minutes(hour_ago(3), 30))
    [group] = groups(ballot, "phones")
    assert (group.voters, group.size) == (n + 1, n + 1)
    assert set(group.votes.values_list("receipt", flat=True)) == {v.receipt for v in votes}
    assert "+7900555" not in group.key
    assert "***-**-10" in group.detail


# --- the report --------------------------------------------------------------------------


def test_excluded_votes_are_marked_in_their_group(ballot, entry, organiser):
    votes = add_votes(entry, minutes(hour_ago(5), 10), ips=["203.0.113.7"] * 10)
    VoteExclusion.objects.create(vote=votes[0], reason="Бот", excluded_by=organiser)
    _signal, group = find_group(ballot, "ip", "203.0.113.7")
    assert (group.size, group.excluded, group.counted) == (10, 1, 9)
    assert not group.all_excluded


def test_ordinary_voting_raises_no_signal(ballot, entry, other_entry):
    for h in range(2, 60):
        add_votes(entry, minutes(hour_ago(h), 4))
        add_votes(other_entry, minutes(hour_ago(h), 2))
    assert [(r.signal.code, r.groups) for r in anomalies.report(ballot)] == [
        (s.code, []) for s in anomalies.SIGNALS
    ]


def test_an_unknown_signal_or_key_is_not_found(ballot, entry):
    add_votes(entry, minutes(hour_ago(5), 10), ips=["203.0.113.7"] * 10)
    assert find_group(ballot, "nosuch", "203.0.113.7") == (None, None)
    assert find_group(ballot, "ip", "203.0.113.8") == (anomalies.BY_CODE["ip"], None)
