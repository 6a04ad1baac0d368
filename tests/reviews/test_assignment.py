"""The assignment of applications to experts: properties on random small instances, and
examples for the problem reports and the expertise preference. No database."""

import math
from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartdialog.reviews.assignment import (
    LOAD_COST,
    MISMATCH_COST,
    Application,
    Existing,
    Expert,
    solve,
)

TOPICS = ["цифра", "ЖКХ", "здоровье"]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, *, disjoint=False, conflicts=True, existing=True):
    """(applications, experts, k, existing) with 1-3 nominations and up to 8 experts."""
    nominations = list(range(draw(st.integers(1, 3))))
    k = draw(st.integers(1, 3))
    experts = []
    for j in range(draw(st.integers(1, 8))):
        if disjoint:
            pools = frozenset({draw(st.sampled_from(nominations))})
        else:
            pools = frozenset(draw(st.sets(st.sampled_from(nominations), min_size=1)))
        topics = frozenset(draw(st.sets(st.sampled_from(TOPICS))))
        experts.append(Expert(f"e{j}", draw(st.integers(0, 6)), pools, topics))
    ids = [e.id for e in experts]
    applications = []
    for i in range(draw(st.integers(0, 12))):
        banned = frozenset(draw(st.sets(st.sampled_from(ids), max_size=3))) if conflicts else ()
        topics = frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=2)))
        applications.append(
            Application(i, draw(st.sampled_from(nominations)), frozenset(banned), topics)
        )
    pairs = []
    if existing:
        # Started evaluations: valid pairs (pool, no conflict, within capacity, ≤ k each).
        used = Counter()
        for a in applications:
            fits = [
                e
                for e in experts
                if a.nomination in e.pools and e.id not in a.conflicts and used[e.id] < e.capacity
            ]
            for e in draw(st.lists(st.sampled_from(fits), max_size=k, unique=True)) if fits else []:
                used[e.id] += 1
                pairs.append(Existing(a.id, e.id))
    return applications, experts, k, pairs


def eligible(application, experts, existing):
    """Experts the application has or may still get: an independent count."""
    load = Counter(x.expert_id for x in existing)
    have = {x.expert_id for x in existing if x.application_id == application.id}
    return len(have) + sum(
        1
        for e in experts
        if application.nomination in e.pools
        and e.id not in application.conflicts
        and e.id not in have
        and e.capacity - load[e.id] > 0
    )


@given(instances())
@PROPERTY
def test_assignment_respects_conflicts_capacity_and_coverage(instance):
    applications, experts, k, existing = instance
    result = solve(applications, experts, k=k, existing=existing)
    by_id = {a.id: a for a in applications}
    capacity = {e.id: e.capacity for e in experts}
    pools = {e.id: e.pools for e in experts}
    old = [(x.application_id, x.expert_id) for x in existing]
    assert len(set(result.pairs)) == len(result.pairs)
    assert not set(result.pairs) & set(old)
    for application_id, expert_id in result.pairs:
        assert expert_id not in by_id[application_id].conflicts
        assert by_id[application_id].nomination in pools[expert_id]
    load = Counter(e for _, e in old + result.pairs)
    assert result.loads == {e.id: load[e.id] for e in experts}
    assert all(load[e] <= capacity[e] for e in capacity)
    evaluations = Counter(a for a, _ in old + result.pairs)
    infeasible = result.infeasible()
    for a in applications:
        if a.nomination in infeasible:
            assert not any(p[0] == a.id for p in result.pairs)
        else:
            assert evaluations[a.id] == min(k, eligible(a, experts, existing))
        short = [
            p for p in result.problems if p.kind == "application" and a.id in p.application_ids
        ]
        assert bool(short) == (eligible(a, experts, existing) < k)


@given(instances())
@PROPERTY
def test_assignment_leaves_no_balancing_move(instance):
    """No new pair can move from an expert to one of the same pool loaded 2 less: the move
    is a negative-cost cycle (LOAD_COST > MISMATCH_COST), which a min-cost flow has not."""
    assert LOAD_COST > MISMATCH_COST
    applications, experts, k, existing = instance
    result = solve(applications, experts, k=k, existing=existing)
    by_id = {a.id: a for a in applications}
    taken = defaultdict(set)
    for a, e in [(x.application_id, x.expert_id) for x in existing] + result.pairs:
        taken[a].add(e)
    for application_id, a_expert in result.pairs:
        application = by_id[application_id]
        for b in experts:
            movable = (
                application.nomination in b.pools
                and b.id not in application.conflicts
                and b.id not in taken[application_id]
                and result.loads[b.id] < b.capacity
            )
            assert not (movable and result.loads[a_expert] >= result.loads[b.id] + 2)


@given(instances(disjoint=True, conflicts=False, existing=False))
@PROPERTY
def test_assignment_balances_a_pool_when_capacities_allow(instance):
    applications, experts, k, _ = instance
    nominations = {e_pool for e in experts for e_pool in e.pools}
    for nomination in nominations:
        pool = [e for e in experts if nomination in e.pools]
        apps = [a for a in applications if a.nomination == nomination]
        demand = len(apps) * min(k, len(pool))
        if any(e.capacity < math.ceil(demand / len(pool)) for e in pool):
            return  # capacities do not permit: nothing to check
    result = solve(applications, experts, k=k)
    assert not result.problems or all(p.kind == "application" for p in result.problems)
    for nomination in nominations:
        loads = [result.loads[e.id] for e in experts if nomination in e.pools]
        assert max(loads) - min(loads) <= 1


def test_capacity_problem_names_the_nomination_and_numbers():
    experts = [Expert(f"e{j}", 3, frozenset({"1.3"})) for j in range(11)]
    # e10 is conflicted with every application: it adds nothing to the capacity.
    applications = [Application(i, "1.3", frozenset({"e10"})) for i in range(12)]
    applications.append(Application(100, "1.1"))
    experts.append(Expert("x", 5, frozenset({"1.1"})))

    result = solve(applications, experts, k=3)

    (problem,) = [p for p in result.problems if p.kind == "capacity"]
    assert (problem.nomination, problem.needed, problem.available) == ("1.3", 36, 30)
    assert problem.application_ids == tuple(range(12))
    assert str(problem) == (
        "номинация 1.3: 12 заявок × 3 оценки = 36, доступная ёмкость без конфликтов 30"
    )
    # The feasible nomination is still solved; the infeasible one gets nothing.
    assert result.infeasible() == {"1.3"}
    assert [p for p in result.pairs if p[0] == 100] == [(100, "x")]
    assert all(p[0] == 100 for p in result.pairs)


def test_application_with_too_few_experts_is_reported_and_gets_what_there_is():
    experts = [Expert(f"e{j}", 5, frozenset({"2.1"})) for j in range(4)]
    applications = [
        Application(1, "2.1", frozenset({"e0", "e1"})),
        Application(2, "2.1"),
    ]

    result = solve(applications, experts, k=3)

    (problem,) = result.problems
    assert (problem.kind, problem.needed, problem.available) == ("application", 3, 2)
    assert problem.application_ids == (1,)
    assert "заявка 1" in str(problem) and "номинация 2.1" in str(problem)
    assert sorted(e for a, e in result.pairs if a == 1) == ["e2", "e3"]
    assert len([1 for a, _ in result.pairs if a == 2]) == 3


def test_existing_pairs_are_kept_counted_and_only_gaps_filled():
    experts = [Expert(f"e{j}", 2, frozenset({"1"})) for j in range(3)]
    applications = [Application(1, "1"), Application(2, "1")]
    existing = [Existing(1, "e0"), Existing(1, "e1"), Existing(2, "e0")]

    result = solve(applications, experts, k=3, existing=existing)

    assert sorted(result.pairs) == [(1, "e2"), (2, "e1"), (2, "e2")]
    assert result.loads == {"e0": 2, "e1": 2, "e2": 2}
    assert result.problems == []


def test_shared_experts_shortfall_is_reported_per_nomination():
    # Each nomination alone fits, but both lean on the same two experts.
    experts = [Expert("a", 2, frozenset({"1", "2"})), Expert("b", 2, frozenset({"1", "2"}))]
    applications = [Application(1, "1"), Application(2, "1"), Application(3, "2")]

    result = solve(applications, experts, k=2)

    kinds = {(p.nomination, p.kind) for p in result.problems}
    assert len(kinds) == 1 and next(iter(kinds))[1] == "shared"
    (problem,) = result.problems
    assert problem.needed in (2, 4) and problem.available < problem.needed
    solved = {a for a, _ in result.pairs}
    assert solved and all(
        next(x.nomination for x in applications if x.id == a) != problem.nomination for a in solved
    )


def test_conflict_group_shortfall_is_reported():
    # Apps 1 and 2 may only take a and b (one place each): 4 evaluations, 2 places. The
    # counts per expert pass (6 needed, 6 available); only the flow finds the shortfall.
    experts = [Expert("a", 1, frozenset({"1"})), Expert("b", 1, frozenset({"1"}))]
    experts += [Expert(name, 9, frozenset({"1"})) for name in "cdef"]
    applications = [
        Application(1, "1", frozenset("cdef")),
        Application(2, "1", frozenset("cdef")),
        Application(3, "1"),
    ]

    result = solve(applications, experts, k=2)

    (problem,) = result.problems
    assert (problem.kind, problem.needed, problem.available) == ("conflicts", 6, 4)
    assert set(problem.application_ids) == {1, 2}
    assert str(problem) == (
        "номинация 1: нужно ещё 6 оценок, из-за конфликтов у заявок 1, 2 экспертов хватает на 4"
    )
    assert result.pairs == []


def test_matching_experts_are_preferred_when_capacity_is_ample():
    experts = [
        Expert(f"e{j}", 10, frozenset({"1"}), frozenset({"ЖКХ"} if j % 2 else {"цифра"}))
        for j in range(8)
    ]
    applications = [Application(i, "1", topics=frozenset({"ЖКХ"})) for i in range(4)]

    result = solve(applications, experts, k=3)

    assert result.problems == []
    matching = {e.id for e in experts if "ЖКХ" in e.topics}
    # 12 evaluations, 4 matching experts, balance allows 2 each on 8 experts — the flow
    # still gives the matching experts their balanced share first (loads 2,2,2,2,1,1,1,1).
    loads = sorted(((result.loads[e], e in matching) for e in result.loads), reverse=True)
    assert [m for _, m in loads[:4]] == [True] * 4
    single = solve(applications[:1], experts, k=3)
    assert {e for _, e in single.pairs} <= matching
