"""Benchmark: the citizen's vote over HTTP against the production stack, vs a bare INSERT.

One run starts a throwaway stack (`stack.py`: PostgreSQL cluster, Redis, gunicorn gthread
workers with DEBUG off), opens the demo ballot (3 sections, 13 entries) and pre-creates
verified voters with a region and a pre-authenticated session (`vote_setup.py`). Then, over
the same keep-alive connections from a closed-loop asyncio client:

1. in each of --rounds rounds (default 4; 1 for a run of 300 s or more): the bare endpoint
   (`/bench/bare-vote/`, one `INSERT … ON CONFLICT DO NOTHING` of the voter's 3 picks) for B
   seconds into its own minimal table, then for B seconds into the real `voting_vote` (its
   foreign keys, constraints and indexes), the full vote path (the citizen's POST to
   /vote/confirm/ with its signed confirmation: CSRF, rate limits and the session's
   existence in one Redis script, `services.cast` into `voting_vote`) for
   duration / rounds seconds, then both bare phases again in reverse order
   (B = min(duration / rounds / 2, 30)); a round's ratio is its full throughput over the mean
   of the floor's two phases around it, and the ratio reported is the rounds' median
   (the machine's other load shifts between phases), target ≥ 70 %;
2. (unless --no-sweep) the full path for 5 s at each concurrency of --sweep (closed loop:
   p99 ≈ connections / throughput), and then open loop at 64 connections: requests falling
   due at each rate of --latency-rates per second, for the full path and the bare endpoint,
   latency counted from when a request fell due: the p99 target (≤ 50 ms);
3. the check: every acknowledged vote (302 to /vote/done/) has its 3 rows in `voting_vote`,
   and rows = 3 × acknowledgements exactly (no row without an acknowledgement either); the
   bare phase into `voting_vote` uses voters of its own, counted apart.

With --overload the stack sheds load (`OVERLOAD_MAX_IN_FLIGHT`, `core/overload.py`) and the
client offers far more than it can take (--connections 256 by default): every answer must be
an acknowledgement or a 429/503 with Retry-After, and the rows must match the
acknowledgements exactly.

Run from the repository root (loopback only; stops by itself; about 1 min for the short
mode, 12 min for the sustained one):

    .venv/bin/python bench/vote_load.py --duration 20              # quick check
    .venv/bin/python bench/vote_load.py --duration 600 --no-sweep  # sustained, 0 errors
    .venv/bin/python bench/vote_load.py --overload --duration 20   # 429/503, nothing lost

--write puts the figures into docs/benchmarks.md (its own section per mode). Exit status 1
when an error occurred or an acknowledged vote is missing.
"""

import argparse
import asyncio
import datetime
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, load, machine, write_report
from vote_setup import (
    APP_ENV,
    SECTIONS_PER_CAST,
    Voters,
    acknowledged,
    bare_request,
    confirm_request,
    create_bare_table,
    open_ballot,
    voter_ids,
)

SWEEP_SECONDS = 5
LATENCY_SECONDS = 6
WARMUP_SECONDS = 3
BARE_VOTES_PER_SECOND = 1500  # voters to provision for the bare phases into `voting_vote`
OPEN_LOOP_CONNECTIONS = 64
BARE_OFFSET = 10**9  # bare-endpoint voter ids when the list wraps (a separate table)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of the full path")
    parser.add_argument("--connections", type=int, default=None, help="default 64 (256 overload)")
    parser.add_argument("--sweep", default="1,4,8,16,32,64")
    parser.add_argument(
        "--latency-rates", default="50,100,200,400", help="open loop, requests/s at 64 conns"
    )
    parser.add_argument("--no-sweep", action="store_true", help="no sweep, no open loop")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="floor/full/floor rounds the --duration is split into (default 4; 1 when ≥ 300 s)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--overload", action="store_true")
    parser.add_argument("--max-in-flight", type=int, default=4, help="per process (overload)")
    parser.add_argument("--rate", type=float, default=700, help="full votes/s to provision for")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.connections is None:
        args.connections = 256 if args.overload else 64
    args.sweep = [] if args.no_sweep or args.overload else [int(c) for c in args.sweep.split(",")]
    args.latency_rates = (
        [] if args.no_sweep or args.overload else [float(r) for r in args.latency_rates.split(",")]
    )
    if args.rounds is None:
        args.rounds = 1 if args.duration >= 300 or args.overload else 4
    if not 1 <= args.duration <= 3600:
        parser.error("--duration must be 1…3600 seconds")
    return args


class Phase:
    """A supply of requests: the full vote path, the bare endpoint into its own table
    ("bare", voters reused with new ids when they run out) or into `voting_vote` ("votes",
    fresh voters, as the full path takes them)."""

    def __init__(self, voters: Voters, kind: str):
        self.voters, self.kind = voters, kind
        self.bare_next, self.bare_round = 0, 0

    def __call__(self, _connection: int):
        if self.kind in ("full", "votes"):
            voter = self.voters.take()
            if voter is None:
                return None
            if self.kind == "votes":
                return bare_request(voter, into_votes=self.voters.ballot.pk)
            return confirm_request(voter)
        if self.bare_next >= len(self.voters.all):
            self.bare_next, self.bare_round = 0, self.bare_round + 1
        voter = self.voters.all[self.bare_next]
        self.bare_next += 1
        request = bare_request(voter)
        if self.bare_round:
            request.data[1] = ("voter", str(voter.id + BARE_OFFSET * self.bare_round))
        return request


def run(stack, phase, connections, seconds, rate=None):
    """One phase of load; its result also carries the CPU each part used meanwhile."""
    before = stack.cpu_seconds()
    result = asyncio.run(
        load(stack.app.url, phase, connections=connections, duration=seconds, timeout=30, rate=rate)
    )
    after = stack.cpu_seconds()
    result.cpu = {part: after[part] - before[part] for part in after}
    return result


def cpu_per_request(result) -> str:
    """ms of CPU per request: app + PostgreSQL + Redis + load client."""
    n = len(result.answers) or 1
    parts = [result.cpu[p] / n * 1000 for p in ("app", "postgres", "redis", "client")]
    return f"{sum(parts):.2f} = " + " + ".join(f"{x:.2f}" for x in parts)


def errors_of(result, overload: bool) -> list:
    """Answers that are neither an acknowledgement nor (in overload) a refusal to come back."""
    bad = []
    for answer in result.answers:
        if answer.request.path.startswith("/bench/"):
            ok = answer.status == 200
        else:
            ok = acknowledged(answer)
        shed = answer.status in (429, 503) and answer.headers.get("Retry-After")
        if not ok and not (overload and shed):
            bad.append(answer)
    return bad


def line(label, result) -> str:
    return (
        f"| {label} | {result.connections} | {len(result.answers):,} | {result.elapsed:.1f} | "
        f"{result.throughput:.0f} | {result.percentile(50) * 1000:.1f} | "
        f"{result.percentile(95) * 1000:.1f} | {result.percentile(99) * 1000:.1f} | "
        f"{cpu_per_request(result)} | "
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(result.statuses.items()))
        + " |"
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    command = "bench/vote_load.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    bare_seconds = min(args.duration / args.rounds / 2, 30)
    planned = args.duration + len(args.sweep) * SWEEP_SECONDS + WARMUP_SECONDS
    env = dict(APP_ENV)
    if args.overload:
        env |= {"OVERLOAD_MAX_IN_FLIGHT": str(args.max_in_flight), "OVERLOAD_QUEUE_MS": "50"}
    before = machine()
    started = time.monotonic()
    date = datetime.datetime.now(datetime.UTC)
    with Stack(
        workers=args.workers, threads=args.threads, env=env, max_seconds=planned * 3 + 900
    ) as stack:
        stack.app.setup_django()
        ballot = open_ballot()
        create_bare_table(stack.postgres)
        count = int(args.rate * planned) + 2000
        count += int(sum(args.latency_rates) * LATENCY_SECONDS)
        if not args.overload:
            count += int(BARE_VOTES_PER_SECOND * 2 * bare_seconds)
        t0 = time.monotonic()
        voters = Voters(ballot).create(count)
        print(f"{count:,} voters with sessions in {time.monotonic() - t0:.0f} s", flush=True)
        stack.app.start()
        full, bare, votes = (Phase(voters, kind) for kind in ("full", "bare", "votes"))
        results = []
        run(stack, bare, 16, WARMUP_SECONDS / 2)
        warm = run(stack, full, 16, WARMUP_SECONDS / 2)
        floors = [] if args.overload else [("bare endpoint", bare), ("bare into votes", votes)]
        for round_ in range(1, args.rounds + 1):
            tag = f" (round {round_})" if args.rounds > 1 else ""
            for label, phase in floors:
                results.append((label + tag, run(stack, phase, args.connections, bare_seconds)))
            full_run = run(stack, full, args.connections, args.duration / args.rounds)
            results.append(("full vote path" + tag, full_run))
            for label, phase in reversed(floors):
                results.append((label + tag, run(stack, phase, args.connections, bare_seconds)))
        sweep = [(c, run(stack, full, c, SWEEP_SECONDS)) for c in args.sweep]
        latency = [
            (rate, label, run(stack, phase, OPEN_LOOP_CONNECTIONS, LATENCY_SECONDS, rate))
            for rate in args.latency_rates
            for label, phase in (("full vote path", full), ("bare endpoint", bare))
        ]
        for label, result in results:
            print(f"{label}: {result.summary()}", flush=True)
        for c, result in sweep:
            print(f"sweep {c}: {result.summary()}", flush=True)
        for rate, label, result in latency:
            print(f"open loop {rate:g}/s, {label}: {result.summary()}", flush=True)
        stack.app.stop()
        # The check: acknowledgements against rows; the bare phases' own voters apart.
        full_results = [warm] + [r for label, r in results if label.startswith("full")]
        full_results += [r for _c, r in sweep]
        full_results += [r for _rate, label, r in latency if label.startswith("full")]
        acked = [a.request.tag.id for r in full_results for a in r.answers if acknowledged(a)]
        floor_voters = {
            a.request.tag.id
            for label, r in results
            if label.startswith("bare into votes")
            for a in r.answers
        }
        rows = voter_ids(stack.postgres)
        missing = [v for v in acked if rows.get(v, 0) != SECTIONS_PER_CAST]
        total_rows = sum(n for voter, n in rows.items() if voter not in floor_voters)
        exact = total_rows == SECTIONS_PER_CAST * len(acked)
        errors = [e for _l, r in results for e in errors_of(r, args.overload)]
        errors += [e for _c, r in sweep for e in errors_of(r, args.overload)]
        errors += [e for _rate, _l, r in latency for e in errors_of(r, args.overload)]
        if voters.left == 0:
            print("ran out of pre-created voters: raise --rate", flush=True)
    elapsed = time.monotonic() - started

    def ratio_to(floor):
        """Each round's full-path throughput over the mean of the floor's two phases around
        it; the median of the rounds (the machine's other load shifts between phases)."""
        by_round = {}
        for label, result in results:
            kind, _sep, round_ = label.partition(" (round ")
            by_round.setdefault(round_, {}).setdefault(kind, []).append(result.throughput)
        ratios = [
            phases["full vote path"][0] / (sum(phases[floor]) / len(phases[floor]))
            for phases in by_round.values()
            if floor in phases
        ]
        return statistics.median(ratios) if ratios else None, ratios

    shed = sum(r.statuses.get(429, 0) + r.statuses.get(503, 0) for _l, r in results)
    verdict = {
        "errors": len(errors),
        "acknowledged": len(acked),
        "rows": total_rows,
        "missing": len(missing),
        "exact": exact,
        "ratio": ratio_to("bare endpoint")[0],
        "ratio_votes": ratio_to("bare into votes")[0],
        "ratios": ratio_to("bare endpoint")[1],
        "ratios_votes": ratio_to("bare into votes")[1],
        "shed": shed,
        "voters_left": voters.left,
    }
    print(verdict)
    if errors:
        print("first errors:", [(e.status, e.error, e.request.path) for e in errors[:5]])
    ok = not errors and not missing and exact and voters.left > 0
    if args.overload:
        ok = ok and shed > 0
    report = render(args, command, date, before, elapsed, results, sweep, latency, verdict, ok)
    print(report)
    if args.write:
        write(report, mode_key(args))
    return 0 if ok else 1


def mode_key(args) -> str:
    if args.overload:
        return "overload"
    return "sustained" if args.duration >= 300 else "short"


def render(args, command, date, before, elapsed, results, sweep, latency, verdict, ok) -> str:
    m = machine()
    mode = mode_key(args)
    title = {
        "short": "short mode",
        "sustained": "sustained run",
        "overload": "overload",
    }[mode]
    rows = [line(label, r) for label, r in results] + [
        line(f"full vote path, sweep {c}", r) for c, r in sweep
    ]
    rows += [line(f"{label}, open loop {rate:g}/s", r) for rate, label, r in latency]
    ratio = verdict["ratio"]
    out = [
        f"### Vote over HTTP: {title}",
        "",
        f"- Date: {date:%Y-%m-%d %H:%M} UTC; run time {elapsed:.0f} s",
        f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram_gib']} GiB; load average "
        f"(1 min) {before['load']:.2f} before, {m['load']:.2f} after (other engineers' tests "
        "share the 2 cores; the load client runs on the same cores)",
        f"- Command: `.venv/bin/python {command}`",
        f"- Stack: gunicorn {args.workers} gthread workers × {args.threads} threads, "
        "PostgreSQL 15 throwaway cluster (fsync and synchronous_commit on), private Redis "
        "(cache + sessions), DEBUG off"
        + (
            f", load shedding at {args.max_in_flight} requests in flight per worker (wait ≤ 50 ms)"
            if args.overload
            else ""
        ),
        f"- A request = one citizen's confirm with picks in all {SECTIONS_PER_CAST} sections "
        f"({SECTIONS_PER_CAST} rows); the bare endpoint inserts the same {SECTIONS_PER_CAST} "
        "rows in one `INSERT … ON CONFLICT DO NOTHING`",
        "",
        "| phase | connections | requests | s | requests/s | p50, ms | p95, ms | p99, ms "
        "| CPU ms/request: all = app + PG + Redis + client | statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]
    if ratio is not None:
        rounds = (
            f" (median of {args.rounds} rounds: "
            + ", ".join(f"{r * 100:.0f}" for r in verdict["ratios"])
            + " % and "
            + ", ".join(f"{r * 100:.0f}" for r in verdict["ratios_votes"])
            + " %)"
            if args.rounds > 1
            else ""
        )
        out.append(
            f"Full path / bare endpoint throughput: **{ratio * 100:.0f} %** against the minimal "
            f"table, **{verdict['ratio_votes'] * 100:.0f} %** against the same INSERT into "
            f"`voting_vote`{rounds} (target ≥ 70 %)."
        )
    if latency:
        within = [
            rate
            for rate, label, r in latency
            if label.startswith("full") and r.percentile(99) <= 0.050
        ]
        out.append(
            f"Open loop at {OPEN_LOOP_CONNECTIONS} connections (latency from when a request "
            "fell due): the full path's p99 is ≤ 50 ms at "
            + (", ".join(f"{r:g}" for r in within) or "none")
            + " requests/s of "
            + ", ".join(f"{r:g}" for r in args.latency_rates)
            + "."
        )
    out.append(
        f"Errors: {verdict['errors']}. Acknowledged votes: {verdict['acknowledged']:,}; rows in "
        f"`voting_vote` afterwards: {verdict['rows']:,} (= {SECTIONS_PER_CAST} × "
        f"acknowledged: {'yes' if verdict['exact'] else 'NO'}); acknowledged votes missing: "
        f"{verdict['missing']}."
        + (f" Answered 429/503 with Retry-After: {verdict['shed']:,}." if args.overload else "")
        + " Checks (no error, every acknowledged vote stored, rows = 3 × acknowledged"
        + (", load shed" if args.overload else "")
        + f"): **{'pass' if ok else 'FAIL'}**."
    )
    return "\n".join(out) + "\n"


def write(report: str, mode: str) -> None:
    write_report(
        f"<!-- bench/vote_load.py {mode}: start -->",
        f"<!-- bench/vote_load.py {mode}: end -->",
        report,
    )


if __name__ == "__main__":
    sys.exit(main())
