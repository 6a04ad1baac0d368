"""Benchmark: the automatic assignment of applications to experts, solver against greedy.

`smartdialog.reviews.assignment.solve` (one min-cost flow, OR-Tools) and a greedy baseline
(each application in turn takes its least loaded eligible experts, topic match breaking
ties) on two generated instances with a fixed seed:

- realistic: the 2023 size, 600 applications over 13 nominations, 100 experts, K = 3;
- stress: 5,000 applications over 13 nominations, 1,000 experts, K = 3, random conflicts
  (0-8 per application) and capacities (5-30).

Each (instance, method) runs in a fresh subprocess, so the peak RSS is its own. The time is
one untimed-memory run (`time.perf_counter()`); the Python peak is a second run under
`tracemalloc`; RSS is `resource.getrusage(RUSAGE_SELF).ru_maxrss`, before the first run (the
instance built, the modules imported) and after it (OR-Tools allocates in C++, which
tracemalloc does not see). The result is then checked independently of the solver: conflicts,
pools, duplicates, capacities, coverage and loads.

Run from the repository root (no database):

    .venv/bin/python bench/assignment.py --write

Options: --seed N (default 2023), --write (put the results into docs/benchmarks.md,
replacing this benchmark's previous section). Exit code 1 if a target is missed: realistic
under 1 s, stress under 10 s and 300 MB peak RSS, 0 conflicts violated. About 5 s.
"""

import argparse
import datetime
import heapq
import json
import os
import random
import resource
import shlex
import subprocess
import sys
import time
import tracemalloc
import zoneinfo
from collections import Counter, defaultdict
from pathlib import Path

from stack import write_report

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START = "<!-- bench/assignment.py: start -->"
END = "<!-- bench/assignment.py: end -->"
NOMINATIONS = [f"{d}.{n}" for d, count in ((1, 4), (2, 3), (3, 3), (4, 3)) for n in range(count)]
TOPICS = [f"тема {n}" for n in range(12)]
CASES = {
    # applications, experts, capacity range, conflicts per application, 2nd / 3rd pool share
    "realistic": dict(
        applications=600, experts=100, capacity=(15, 30), conflicts=(0, 2), second=0.3, third=0.0
    ),
    "stress": dict(
        applications=5000, experts=1000, capacity=(5, 30), conflicts=(0, 8), second=0.4, third=0.1
    ),
}
K = 3
TARGETS = {"realistic": (1.0, None), "stress": (10.0, 300.0)}  # seconds, MB peak RSS


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "METHOD"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- the instance --------------------------------------------------------------------------


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder)."""
    shares = [total * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    for n in sorted(range(len(shares)), key=lambda n: counts[n] - shares[n])[: total - sum(counts)]:
        counts[n] += 1
    return counts


def instance(case: str, seed: int):
    from smartdialog.reviews.assignment import Application, Expert

    spec, rng = CASES[case], random.Random(seed)
    weights = [rng.uniform(0.5, 1.5) for _ in NOMINATIONS]
    primary = [
        nom
        for nom, n in zip(NOMINATIONS, _spread(spec["experts"], weights), strict=True)
        for _ in range(n)
    ]
    experts, pools = [], defaultdict(list)
    for j, nom in enumerate(primary):
        own = {nom}
        for share in (spec["second"], spec["third"]):
            if rng.random() < share:
                own.add(rng.choice(NOMINATIONS))
        topics = frozenset(rng.sample(TOPICS, rng.randint(2, 4)))
        experts.append(Expert(j, rng.randint(*spec["capacity"]), frozenset(own), topics))
        for p in own:
            pools[p].append(j)
    applications, i = [], 0
    for nom, n in zip(NOMINATIONS, _spread(spec["applications"], weights), strict=True):
        for _ in range(n):
            banned = set()
            for _ in range(rng.randint(*spec["conflicts"])):  # mostly experts of the pool
                banned.add(rng.choice(pools[nom]) if rng.random() < 0.7 else rng.randrange(j))
            topics = frozenset(rng.sample(TOPICS, rng.randint(1, 2)))
            applications.append(Application(i, nom, frozenset(banned), topics))
            i += 1
    return applications, experts


# --- the greedy baseline -------------------------------------------------------------------


def greedy(applications, experts, *, k=3, existing=()):
    """Each application in turn takes its least loaded eligible experts (topic match breaks
    ties); no look-ahead, so late applications may find their experts full."""
    load = Counter(x.expert_id for x in existing)
    have = defaultdict(set)
    for x in existing:
        have[x.application_id].add(x.expert_id)
    pools = defaultdict(list)
    for e in experts:
        for nom in e.pools:
            pools[nom].append(e)
    pairs = []
    for a in applications:
        need = k - len(have[a.id])
        fits = [
            e
            for e in pools[a.nomination]
            if e.id not in a.conflicts and e.id not in have[a.id] and load[e.id] < e.capacity
        ]
        for e in heapq.nsmallest(need, fits, key=lambda e: (load[e.id], not e.topics & a.topics)):
            load[e.id] += 1
            have[a.id].add(e.id)
            pairs.append((a.id, e.id))
    return pairs, {e.id: load[e.id] for e in experts}, []


# --- one (case, method) in a subprocess ----------------------------------------------------


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(case: str, method: str, seed: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from smartdialog.reviews import assignment

    applications, experts = instance(case, seed)

    def run():
        if method == "greedy":
            return greedy(applications, experts, k=K)
        result = assignment.solve(applications, experts, k=K)
        return result.pairs, result.loads, result.problems

    rss_before = rss_mb()
    started = time.perf_counter()
    pairs, loads, problems = run()
    elapsed = time.perf_counter() - started
    rss_after = rss_mb()
    tracemalloc.start()
    run()
    python_peak = tracemalloc.get_traced_memory()[1] / 1024**2
    tracemalloc.stop()
    return {
        "case": case,
        "method": method,
        "applications": len(applications),
        "experts": len(experts),
        "demand": K * len(applications),
        "capacity": sum(e.capacity for e in experts),
        "time": elapsed,
        "python_peak": python_peak,
        "rss_peak": rss_after,
        "rss_delta": rss_after - rss_before,
        "problems": [str(p) for p in problems],
        **check(applications, experts, pairs, loads),
    }


def check(applications, experts, pairs, loads) -> dict:
    """Figures computed from the pairs alone, not trusting the solver."""
    apps = {a.id: a for a in applications}
    by_id = {e.id: e for e in experts}
    load = Counter(e for _, e in pairs)
    coverage = Counter(a for a, _ in pairs)
    spreads = []
    for nom in NOMINATIONS:
        pool = [load[e.id] for e in experts if nom in e.pools]
        spreads.append(max(pool) - min(pool))
    free = [load[e.id] for e in experts if load[e.id] < e.capacity]
    free_spreads = [0]
    for nom in NOMINATIONS:
        pool = [load[e.id] for e in experts if nom in e.pools and load[e.id] < e.capacity]
        free_spreads.append(max(pool) - min(pool) if pool else 0)
    return {
        "evaluations": len(pairs),
        "conflicts": sum(1 for a, e in pairs if e in apps[a].conflicts),
        "outside_pool": sum(1 for a, e in pairs if apps[a].nomination not in by_id[e].pools),
        "duplicates": len(pairs) - len(set(pairs)),
        "over_capacity": sum(1 for e in experts if load[e.id] > e.capacity),
        "loads_agree": all(loads[e.id] == load[e.id] for e in experts),
        "uncovered": sum(1 for a in applications if coverage[a.id] < K),
        "missing": sum(max(0, K - coverage[a.id]) for a in applications),
        "spread": max(load[e.id] for e in experts) - min(load[e.id] for e in experts),
        "pool_spread_max": max(spreads),
        "pool_spread_mean": sum(spreads) / len(spreads),
        "free_spread": max(free) - min(free) if free else 0,
        "free_pool_spread": max(free_spreads),
        "saturated": len(experts) - len(free),
        "match": sum(1 for a, e in pairs if apps[a].topics & by_id[e].topics) / max(1, len(pairs)),
    }


# --- the report ----------------------------------------------------------------------------


def machine() -> dict:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "ram": f"{kib / 1024**2:.1f} GiB"}


def table(rows: list[dict]) -> str:
    lines = [
        "| case | method | time, s | Python peak, MB | peak RSS, MB (Δ in run) | evaluations "
        "| uncovered apps (missing evals) | max − min load: all / worst pool / mean pool "
        "| max − min below capacity: all / worst pool (experts at capacity) | conflicts violated "
        "| outside pool, duplicates, over capacity | topic match |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['method']} | {r['time']:.3f} | {r['python_peak']:.1f} | "
            f"{r['rss_peak']:.0f} ({r['rss_delta']:+.0f}) | {r['evaluations']:,} | "
            f"{r['uncovered']} ({r['missing']}) | {r['spread']} / {r['pool_spread_max']} / "
            f"{r['pool_spread_mean']:.1f} | {r['free_spread']} / {r['free_pool_spread']} "
            f"({r['saturated']}) | "
            f"{r['conflicts']} | {r['outside_pool']}, {r['duplicates']}, {r['over_capacity']} "
            f"| {r['match']:.0%} |"
        )
    return "\n".join(lines)


def failures(rows: list[dict]) -> list[str]:
    failed = []
    for r in rows:
        if r["conflicts"] or r["outside_pool"] or r["duplicates"] or r["over_capacity"]:
            failed.append(f"{r['case']} {r['method']}: invalid pairs")
        if r["method"] != "solver":
            continue
        seconds, mb = TARGETS[r["case"]]
        if r["time"] >= seconds:
            failed.append(f"{r['case']}: {r['time']:.2f} s ≥ {seconds} s")
        if mb and r["rss_peak"] >= mb:
            failed.append(f"{r['case']}: peak RSS {r['rss_peak']:.0f} MB ≥ {mb} MB")
        if not r["loads_agree"]:
            failed.append(f"{r['case']}: Result.loads disagree with the pairs")
    return failed


def report(command: str, rows: list[dict], elapsed: float, load_before: float) -> str:
    import numpy
    import ortools

    m = machine()
    now = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow"))
    sizes = {r["case"]: r for r in rows}
    cases = "; ".join(
        f"{case}: {r['applications']:,} applications × K = {K} = {r['demand']:,} evaluations, "
        f"{r['experts']:,} experts with {r['capacity']:,} places in all"
        for case, r in sizes.items()
    )
    problems = [p for r in rows if r["method"] == "solver" for p in r["problems"]]
    failed = failures(rows)
    return "\n".join(
        [
            START,
            "## Assignment of applications to experts (`bench/assignment.py`)",
            "",
            f"- Date: {now:%Y-%m-%d %H:%M} MSK",
            f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram']}; load average "
            f"(1 min) {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after",
            f"- Software: Python {sys.version.split()[0]}, OR-Tools {ortools.__version__}, "
            f"NumPy {numpy.__version__}",
            f"- Command: `{command}` (run time {elapsed:.0f} s, no database)",
            f"- Data (generated, seed in the command): {cases}. 13 nominations of uneven size; "
            "each expert in the pool of one nomination (pools sized to the nominations), some "
            "in a second or third; conflicts mostly with experts of the application's own pool; "
            f"{len(TOPICS)} topics",
            "- Each row is a fresh subprocess. Time: `perf_counter` around one call; Python "
            "peak: `tracemalloc` on a second call; peak RSS: `ru_maxrss` of the process after "
            "the timed call (Δ: growth during it; OR-Tools allocates in C++). All other "
            "columns are recomputed from the returned pairs; loads count every evaluation "
            "an expert has, pools compare the experts of one nomination's pool",
            "",
            table(rows),
            "",
            "Problems reported by the solver: "
            + ("; ".join(f"«{p}»" for p in problems) if problems else "none."),
            "",
            "Targets (solver: realistic < 1 s; stress < 10 s and < 300 MB peak RSS; 0 conflicts "
            "violated by either method): "
            + ("met." if not failed else "**MISSED**: ")
            + "; ".join(failed),
            END,
        ]
    )


def write(section: str) -> None:
    write_report(START, END, section.removeprefix(START + "\n").removesuffix(END))
    print(f"\nwritten to {DOC.relative_to(ROOT)}")


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        print(json.dumps(child(*args.child, args.seed)))
        return 0
    command = shlex.join([".venv/bin/python", "bench/assignment.py", *sys.argv[1:]])
    load_before, started = os.getloadavg()[0], time.perf_counter()
    rows = []
    for case in CASES:
        for method in ("solver", "greedy"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", case, method, "--seed", str(args.seed)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    section = report(command, rows, time.perf_counter() - started, load_before)
    print("\n" + section)
    if args.write:
        write(section)
    if failed := failures(rows):
        print(f"FAIL: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
