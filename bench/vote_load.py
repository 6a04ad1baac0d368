"""Benchmark: the citizen's vote over HTTP against the production stack, vs a bare INSERT.

One run starts a throwaway stack (`stack.py`: PostgreSQL cluster, Redis, gunicorn gthread
workers with DEBUG off), opens the demo ballot (3 sections, 13 entries) and pre-creates
verified voters with a region and a pre-authenticated session (`vote_setup.py`). Then, over
the same keep-alive connections from a closed-loop asyncio client:

1. the bare endpoint (`/bench/bare-vote/`, one `INSERT … ON CONFLICT DO NOTHING` of the
   voter's 3 picks) for B seconds, the full vote path (the citizen's POST to /vote/confirm/:
   session, CSRF, rate limits in Redis, `services.cast` into `voting_vote`) for --duration
   seconds, the bare endpoint again for B seconds (B = min(duration / 2, 30)); the ratio is
   full / mean(bare) throughput, target ≥ 70 %;
2. (unless --no-sweep) the full path for 5 s at each concurrency of --sweep, for the p99;
3. the check: every acknowledged vote (302 to /vote/done/) has its 3 rows in `voting_vote`,
   and rows = 3 × acknowledgements exactly (no row without an acknowledgement either).

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
WARMUP_SECONDS = 3
BARE_OFFSET = 10**9  # bare-endpoint voter ids when the list wraps (a separate table)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of the full path")
    parser.add_argument("--connections", type=int, default=None, help="default 64 (256 overload)")
    parser.add_argument("--sweep", default="1,4,8,16,32,64")
    parser.add_argument("--no-sweep", action="store_true")
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
    if not 1 <= args.duration <= 3600:
        parser.error("--duration must be 1…3600 seconds")
    return args


class Phase:
    """A supply of requests: the full vote path or the bare endpoint."""

    def __init__(self, voters: Voters, kind: str):
        self.voters, self.kind = voters, kind
        self.bare_next, self.bare_round = 0, 0

    def __call__(self, _connection: int):
        if self.kind == "full":
            voter = self.voters.take()
            return confirm_request(voter) if voter else None
        if self.bare_next >= len(self.voters.all):
            self.bare_next, self.bare_round = 0, self.bare_round + 1
        voter = self.voters.all[self.bare_next]
        self.bare_next += 1
        request = bare_request(voter)
        if self.bare_round:
            request.data[1] = ("voter", str(voter.id + BARE_OFFSET * self.bare_round))
        return request


def run(stack, phase, connections, seconds):
    return asyncio.run(
        load(stack.app.url, phase, connections=connections, duration=seconds, timeout=30)
    )


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
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(result.statuses.items()))
        + " |"
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    command = "bench/vote_load.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    bare_seconds = min(args.duration / 2, 30)
    planned = args.duration + len(args.sweep) * SWEEP_SECONDS + WARMUP_SECONDS
    env = dict(APP_ENV)
    if args.overload:
        env |= {"OVERLOAD_MAX_IN_FLIGHT": str(args.max_in_flight), "OVERLOAD_QUEUE_MS": "50"}
    before = machine()
    started = time.monotonic()
    date = datetime.datetime.now(datetime.UTC)
    with Stack(
        workers=args.workers, threads=args.threads, env=env, max_seconds=planned * 3 + 600
    ) as stack:
        stack.app.setup_django()
        ballot = open_ballot()
        create_bare_table(stack.postgres)
        count = int(args.rate * planned) + 2000
        t0 = time.monotonic()
        voters = Voters(ballot).create(count)
        print(f"{count:,} voters with sessions in {time.monotonic() - t0:.0f} s", flush=True)
        stack.app.start()
        full, bare = Phase(voters, "full"), Phase(voters, "bare")
        results = []
        run(stack, bare, 16, WARMUP_SECONDS / 2)
        warm = run(stack, full, 16, WARMUP_SECONDS / 2)
        if not args.overload:
            results.append(("bare endpoint", run(stack, bare, args.connections, bare_seconds)))
        results.append(("full vote path", run(stack, full, args.connections, args.duration)))
        if not args.overload:
            results.append(("bare endpoint", run(stack, bare, args.connections, bare_seconds)))
        sweep = [(c, run(stack, full, c, SWEEP_SECONDS)) for c in args.sweep]
        for label, result in results:
            print(f"{label}: {result.summary()}", flush=True)
        for c, result in sweep:
            print(f"sweep {c}: {result.summary()}", flush=True)
        stack.app.stop()
        # The check: acknowledgements against rows.
        full_results = [warm] + [r for label, r in results if label.startswith("full")]
        full_results += [r for _c, r in sweep]
        acked = [a.request.tag.id for r in full_results for a in r.answers if acknowledged(a)]
        rows = voter_ids(stack.postgres)
        missing = [v for v in acked if rows.get(v, 0) != SECTIONS_PER_CAST]
        total_rows = sum(rows.values())
        exact = total_rows == SECTIONS_PER_CAST * len(acked)
        errors = [e for _l, r in results for e in errors_of(r, args.overload)]
        errors += [e for _c, r in sweep for e in errors_of(r, args.overload)]
        if voters.left == 0:
            print("ran out of pre-created voters: raise --rate", flush=True)
    elapsed = time.monotonic() - started
    full_tp = [r.throughput for label, r in results if label.startswith("full")]
    bare_tp = [r.throughput for label, r in results if label.startswith("bare")]
    ratio = full_tp[0] / (sum(bare_tp) / len(bare_tp)) if bare_tp else None
    shed = sum(r.statuses.get(429, 0) + r.statuses.get(503, 0) for _l, r in results)
    verdict = {
        "errors": len(errors),
        "acknowledged": len(acked),
        "rows": total_rows,
        "missing": len(missing),
        "exact": exact,
        "ratio": ratio,
        "shed": shed,
        "voters_left": voters.left,
    }
    print(verdict)
    if errors:
        print("first errors:", [(e.status, e.error, e.request.path) for e in errors[:5]])
    ok = not errors and not missing and exact and voters.left > 0
    if args.overload:
        ok = ok and shed > 0
    report = render(args, command, date, before, elapsed, results, sweep, verdict, ok)
    print(report)
    if args.write:
        write(report, mode_key(args))
    return 0 if ok else 1


def mode_key(args) -> str:
    if args.overload:
        return "overload"
    return "sustained" if args.duration >= 300 else "short"


def render(args, command, date, before, elapsed, results, sweep, verdict, ok) -> str:
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
        "| statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]
    if ratio is not None:
        out.append(
            f"Full path / bare endpoint throughput: **{ratio * 100:.0f} %** (target ≥ 70 %)."
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
