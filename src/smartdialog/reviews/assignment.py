"""Automatic assignment of admitted applications to experts (issue 5, item 3).

Pure Python plus OR-Tools, no Django: the `reviews` app loads applications, experts and the
assignments already made, calls `solve` and saves `Result.pairs`.

The model: one min-cost flow network for the whole run (all nominations at once, so an
expert who serves several nominations is balanced on their total load)::

    source ──(K − existing, 0)──▶ application ──(1, 0 or 1)──▶ expert ══(unit arcs)══▶ sink

- source → application: capacity `need` = min(K − evaluations it already has, experts it
  may still get), cost 0.
- application → expert: one arc per expert in the nomination's pool, without a conflict,
  not already assigned to it and with spare capacity; capacity 1, cost `MATCH_COST` (0) when
  the topics intersect, `MISMATCH_COST` (1) otherwise.
- expert → sink: one unit arc per free place, j = existing load + 1 … capacity, costing
  `LOAD_COST * j`. The marginal cost grows with the load (convex), so the flow spreads work
  evenly and counts the evaluations an expert already has.

`solve_max_flow_with_min_cost` gives the largest number of evaluations and, among those,
the cheapest. Why loads end up balanced: moving one new evaluation of application i from
expert a to expert b is a residual cycle costing
``LOAD_COST*(load_b + 1 − load_a) + cost(i, b) − cost(i, a)``. If load_a ≥ load_b + 2 this
is at most ``−LOAD_COST + MISMATCH_COST < 0`` (LOAD_COST > MISMATCH_COST: balance dominates
expertise), so an optimum has no such move (tested as a property). With one pool, no
conflicts and every capacity ≥ ceil(demand / pool size), suppose max − min ≥ 2 and take a
most loaded a and a least loaded b: b is below capacity (else load_b ≥ ceil(demand / pool
size) and load_a ≥ load_b + 2 would put the total above the demand), and a holds more
applications than b, so one of a's applications is not b's and may move: a contradiction.
Hence max − min ≤ 1. With pools overlapping, Σ LOAD_COST·load(load+1)/2 is minimised over all
experts of the run; expertise only decides between equally balanced assignments.

Feasibility, reported as `Problem` entries (the feasible nominations are solved anyway):

- "application": an application has fewer than K eligible experts (existing ones included);
  it still gets every one it can.
- "capacity": a nomination needs more new evaluations than its pool can give, counting per
  expert min(spare capacity, applications it has no conflict with); the nomination gets no
  new pairs.
- "shortfall": the counts pass but the flow still falls short. The nomination is then
  solved alone: short alone → "conflicts" (a group of its applications shares too few
  experts); full alone → "shared" (its experts are used up by other nominations). Either way
  it gets no new pairs and the rest is solved again without it (their flow stays whole, since
  removing demand never reduces another nomination's flow).

Existing pairs are fixed input: they count towards coverage and load, are never removed,
and are never proposed again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from ortools.graph.python import min_cost_flow

MATCH_COST = 0
MISMATCH_COST = 1
LOAD_COST = MISMATCH_COST + 1  # must exceed MISMATCH_COST − MATCH_COST (see the docstring)


@dataclass(frozen=True)
class Application:
    id: Hashable
    nomination: Hashable
    conflicts: frozenset = frozenset()  # expert ids
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Expert:
    id: Hashable
    capacity: int
    pools: frozenset = frozenset()  # nomination ids
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Existing:
    application_id: Hashable
    expert_id: Hashable


@dataclass(frozen=True)
class Problem:
    nomination: Hashable
    kind: str  # "application", "capacity", "conflicts" or "shared"
    needed: int
    available: int
    application_ids: tuple
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Result:
    pairs: list[tuple[Hashable, Hashable]]  # new (application id, expert id)
    loads: dict[Hashable, int]  # expert id → evaluations, existing ones included
    problems: list[Problem] = field(default_factory=list)

    def infeasible(self) -> set:
        """Nominations that got no new pairs because their demand cannot be met."""
        return {p.nomination for p in self.problems if p.kind != "application"}


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def _evaluations(n: int) -> str:
    return _plural(n, "оценка", "оценки", "оценок")


@dataclass
class _Nomination:
    id: Hashable
    apps: list[int]  # indices into the applications
    already: int  # existing evaluations of its applications
    open: np.ndarray = None  # per application: experts it may still get
    need: np.ndarray = None  # per application: new evaluations to give it
    rows: np.ndarray = None  # candidate arcs: application index
    local: np.ndarray = None  # candidate arcs: position of the application in `apps`
    cols: np.ndarray = None  # candidate arcs: expert index
    cost: np.ndarray = None  # candidate arcs: expertise cost

    @property
    def demand(self) -> int:
        return int(self.need.sum())


def solve(
    applications: Iterable[Application],
    experts: Iterable[Expert],
    *,
    k: int = 3,
    existing: Iterable[Existing] = (),
) -> Result:
    """Assign each application k experts of its nomination's pool; see the module docstring."""
    apps, exps = list(applications), list(experts)
    expert_index = {e.id: j for j, e in enumerate(exps)}
    app_index = {a.id: i for i, a in enumerate(apps)}
    load = np.zeros(len(exps), dtype=np.int64)
    done: dict[int, set[int]] = defaultdict(set)  # application index → expert indices
    for pair in dict.fromkeys(existing):
        j = expert_index.get(pair.expert_id)
        if j is None:
            continue
        load[j] += 1
        i = app_index.get(pair.application_id)
        if i is not None:
            done[i].add(j)
    spare = np.maximum(np.array([e.capacity for e in exps], dtype=np.int64) - load, 0)
    topic_index = {
        t: n for n, t in enumerate(sorted({t for x in (*apps, *exps) for t in x.topics}))
    }
    expert_topics = _topic_matrix(exps, topic_index)
    pools: dict[Hashable, list[int]] = defaultdict(list)
    for j, e in enumerate(exps):
        for nomination in e.pools:
            if spare[j] > 0:
                pools[nomination].append(j)
    by_nomination: dict[Hashable, list[int]] = defaultdict(list)
    for i, a in enumerate(apps):
        by_nomination[a.nomination].append(i)

    problems: list[Problem] = []
    nominations: list[_Nomination] = []
    for nomination, members in by_nomination.items():
        nom = _candidates(nomination, members, apps, pools[nomination], expert_index, done, k)
        problems += _application_problems(nom, apps, done, k)
        # Each expert can give at most min(spare places, applications open to them).
        takers = np.bincount(nom.cols, minlength=len(exps))
        available = int(np.minimum(spare, takers).sum())
        if nom.demand > available:
            problems.append(_capacity_problem(nom, apps, k, available))
        elif nom.demand:
            app_topics = _topic_matrix([apps[i] for i in members], topic_index)
            match = (app_topics[nom.local] & expert_topics[nom.cols]).any(axis=1)
            nom.cost = np.where(match, MATCH_COST, MISMATCH_COST).astype(np.int64)
            nominations.append(nom)

    flow = _Flow(nominations, load, spare, len(apps))
    short = [n for n, got in zip(nominations, flow.delivered, strict=True) if got < n.demand]
    if short:
        for nom in short:
            alone = _Flow([nom], load, spare, len(apps))
            problems.append(_shortfall_problem(nom, apps, flow, alone))
        nominations = [n for n in nominations if all(n is not s for s in short)]
        flow = _Flow(nominations, load, spare, len(apps))
    pairs = [(apps[i].id, exps[j].id) for i, j in flow.pairs]
    np.add.at(load, [j for _, j in flow.pairs], 1)
    loads = {e.id: int(load[j]) for j, e in enumerate(exps)}
    return Result(pairs=pairs, loads=loads, problems=problems)


def _topic_matrix(items, topic_index) -> np.ndarray:
    matrix = np.zeros((len(items), max(1, len(topic_index))), dtype=bool)
    for row, item in enumerate(items):
        matrix[row, [topic_index[t] for t in item.topics]] = True
    return matrix


def _candidates(nomination, members, apps, pool, expert_index, done, k) -> _Nomination:
    """The application → expert arcs allowed in one nomination, and each application's need."""
    pool = np.array(sorted(pool), dtype=np.int64)  # experts of the pool with spare places
    position = {j: c for c, j in enumerate(pool.tolist())}
    ok = np.ones((len(members), len(pool)), dtype=bool)
    already = 0
    for r, i in enumerate(members):
        already += len(done[i])
        for j in done[i]:
            if j in position:
                ok[r, position[j]] = False
        for expert_id in apps[i].conflicts:
            c = position.get(expert_index.get(expert_id))
            if c is not None:
                ok[r, c] = False
    rows, cols = np.nonzero(ok)
    nom = _Nomination(nomination, members, already)
    nom.rows, nom.local = np.asarray(members, dtype=np.int64)[rows], rows
    nom.cols = pool[cols]
    nom.open = ok.sum(axis=1)
    have = np.array([len(done[i]) for i in members], dtype=np.int64)
    nom.need = np.minimum(np.maximum(k - have, 0), nom.open)
    return nom


def _application_problems(nom, apps, done, k) -> list[Problem]:
    problems = []
    for r, i in enumerate(nom.apps):
        eligible = len(done[i]) + int(nom.open[r])
        if eligible < k:
            text = (
                f"номинация {nom.id}: заявка {apps[i].id} — нужно {_evaluations(k)}, "
                f"экспертов пула без конфликта и со свободными местами {eligible}"
            )
            problems.append(Problem(nom.id, "application", k, eligible, (apps[i].id,), text))
    return problems


def _capacity_problem(nom, apps, k, available) -> Problem:
    n = len(nom.apps)
    text = f"номинация {nom.id}: {_plural(n, 'заявка', 'заявки', 'заявок')} × "
    text += f"{_evaluations(k)} = {n * k}"
    if nom.already:
        text += f", уже назначено {nom.already}"
    if nom.demand != n * k - nom.already:
        text += f", нужно ещё {nom.demand}"
    text += f", доступная ёмкость без конфликтов {available}"
    ids = tuple(apps[i].id for i in nom.apps)
    return Problem(nom.id, "capacity", nom.demand, available, ids, text)


def _shortfall_problem(nom, apps, joint, alone) -> Problem:
    """The flow fell short in `joint`; `alone` solved the nomination by itself."""
    short_alone = alone.delivered[0] < nom.demand
    flow = alone if short_alone else joint
    got = flow.delivered[[n is nom for n in flow.nominations].index(True)]
    stuck = flow.stuck()
    left = tuple(apps[i].id for i in nom.apps if stuck[i])
    text = f"номинация {nom.id}: нужно ещё {_evaluations(nom.demand)}, "
    if short_alone:
        kind = "conflicts"
        text += f"из-за конфликтов у заявок {', '.join(map(str, left))} экспертов хватает на"
    else:
        kind = "shared"
        text += "эксперты пула заняты в других номинациях, мест остаётся на"
    return Problem(nom.id, kind, nom.demand, got, left, f"{text} {got}")


class _Flow:
    """One min-cost max-flow over the given nominations; see the module docstring."""

    def __init__(self, nominations: list[_Nomination], load, spare, n_apps: int):
        self.nominations = nominations
        self.app_base, self.n_apps, self.nodes = 2, n_apps, 2 + n_apps + len(spare)
        self.pairs: list[tuple[int, int]] = []
        self.delivered = [0] * len(nominations)
        if not nominations:
            return
        source, sink, app_base = 0, 1, self.app_base
        expert_base = app_base + n_apps
        apps = np.concatenate([np.asarray(n.apps, dtype=np.int64) for n in nominations])
        need = np.concatenate([n.need for n in nominations])
        rows = np.concatenate([n.rows for n in nominations])
        cols = np.concatenate([n.cols for n in nominations])
        cost = np.concatenate([n.cost for n in nominations])
        # Unit arcs expert → sink: no more places than the arcs that can reach the expert.
        places = np.minimum(spare, np.bincount(cols, minlength=len(spare)))
        experts = np.repeat(np.arange(len(spare)), places)
        start = np.repeat(np.cumsum(places) - places, places)
        j = load[experts] + 1 + np.arange(len(experts)) - start  # the place's load
        tails = np.concatenate([np.full(len(apps), source), app_base + rows, expert_base + experts])
        heads = np.concatenate([app_base + apps, expert_base + cols, np.full(len(experts), sink)])
        caps = np.concatenate([need, np.ones(len(rows) + len(experts), dtype=np.int64)])
        costs = np.concatenate([np.zeros(len(apps), dtype=np.int64), cost, LOAD_COST * j])
        self.tails, self.heads, self.caps = tails, heads, caps
        smcf = min_cost_flow.SimpleMinCostFlow()
        arcs = smcf.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), caps, costs.astype(np.int64)
        )
        smcf.set_node_supply(source, int(need.sum()))
        smcf.set_node_supply(sink, -int(need.sum()))
        status = smcf.solve_max_flow_with_min_cost()
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed: {status}")
        flows = self.flows = smcf.flows(arcs)
        chosen = flows[len(apps) : len(apps) + len(rows)] > 0
        self.pairs = list(zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True))
        offsets = np.cumsum([0] + [len(n.apps) for n in nominations])
        given = flows[: len(apps)]
        self.delivered = [int(given[a:b].sum()) for a, b in pairwise(offsets)]

    def stuck(self) -> np.ndarray:
        """Per application: reachable from the source in the residual network, i.e. on the
        source side of a minimum cut — the group whose demand cannot be met together."""
        forward, backward = self.flows < self.caps, self.flows > 0
        tails = np.concatenate([self.tails[forward], self.heads[backward]])
        heads = np.concatenate([self.heads[forward], self.tails[backward]])
        order = np.argsort(tails, kind="stable")
        tails, heads = tails[order], heads[order]
        starts = np.searchsorted(tails, np.arange(self.nodes + 1))
        seen = np.zeros(self.nodes, dtype=bool)
        seen[0], stack = True, [0]
        while stack:
            u = stack.pop()
            for v in heads[starts[u] : starts[u + 1]].tolist():
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
        return seen[self.app_base : self.app_base + self.n_apps]
