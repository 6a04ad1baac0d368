"""Benchmark: the vote tally (region × practice) over 16.5 million votes on PostgreSQL.

The scale of the all-Russian urban-environment vote (16.5 million votes in 53 days). The
script starts a throwaway PostgreSQL cluster (`stack.py`, nothing on 5432 is touched),
migrates the project, opens the demo ballot (3 sections, 13 entries, `vote_setup.py`) and
fills `voting_vote` with generate_series: 5.5 million synthetic voters voting in all three
sections, 89 regions skewed towards the large ones (each voter's region the same in all its
votes), a few leaders per section and a long tail, cast over 53 days, plus 1,000 active
exclusions. To load fast, foreign-key triggers are off for the load
(`session_replication_role = replica`: the synthetic voter ids have no `voting_voter` rows,
which the tally never reads) and the secondary indexes are dropped and rebuilt with their own
definitions afterwards; then VACUUM ANALYZE (as autovacuum would).

It then times the app's real `voting.tally.tally(ballot)` (what the organiser's page and the
results use), --repeat times, and checks its totals against a plain `count(*)`.

    .venv/bin/python bench/tally.py --votes 16500000 --write

Target: ≤ 3 s. Exit status 1 when the target is missed or the totals differ. About 10 min
on 2 cores (most of it loading).
"""

import argparse
import datetime
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, machine, write_report
from vote_setup import SECTIONS_PER_CAST, ballot_layout, open_ballot

START, END = "<!-- bench/tally.py: start -->", "<!-- bench/tally.py: end -->"
TARGET_SECONDS = 3.0
EXCLUSIONS = 1000
DAYS = 53
CHUNK = 1_500_000  # voters per INSERT (4.5 million votes)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=16_500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.votes < SECTIONS_PER_CAST * 1000:
        parser.error("--votes too small")
    return args


def load_votes(conn, ballot, votes: int) -> dict:
    """Insert `votes` synthetic votes for `ballot`; seconds per step."""
    layout = ballot_layout(ballot)
    regions = [r[0] for r in conn.execute("SELECT id FROM reference_region ORDER BY code")]
    big = [r[0] for r in conn.execute(
        "SELECT id FROM reference_region WHERE code IN ('77','50','78','23','66','16','02','61')"
    )]  # fmt: skip
    regions = big + [r for r in regions if r not in big]
    timings = {}
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'voting_vote' "
        "AND indexname <> 'voting_vote_pkey'"
    ).fetchall()
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'voting_vote'::regclass AND contype = 'u'"
    ).fetchall()
    unique_names = {name for name, _def in constraints}
    t = time.monotonic()
    for name, _definition in constraints:
        conn.execute(f'ALTER TABLE voting_vote DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        if name not in unique_names:
            conn.execute(f'DROP INDEX "{name}"')
    conn.execute("SET session_replication_role = replica")
    voters = votes // SECTIONS_PER_CAST
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=DAYS)
    for first in range(1, voters + 1, CHUNK):
        last = min(voters, first + CHUNK - 1)
        # h(v, k): a deterministic uniform number in [0, 1) per voter and purpose.
        conn.execute(
            """
            INSERT INTO voting_vote (ballot_id, section_id, entry_id, voter_id, slot, region_id,
                                     cast_at, receipt, ip, user_agent, batch_id)
            SELECT %(ballot)s, s.section, s.entries[1 + floor(s.n * power(
                       (hashint8(v * 16 + s.k) & 2147483647) / 2147483648.0, 1.6))::int],
                   v, 1,
                   (%(regions)s::bigint[])[1 + floor(89 * power(
                       (hashint8(v * 16 + 15) & 2147483647) / 2147483648.0, 2.2))::int],
                   %(start)s::timestamptz + (v::float / %(voters)s) * interval '%(days)s days',
                   'S' || lpad(to_hex(v * 4 + s.k), 11, '0'), NULL, '', NULL
            FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS v
            CROSS JOIN (SELECT * FROM unnest(%(sections)s::bigint[], %(sizes)s::int[],
                                             %(offsets)s::int[]) WITH ORDINALITY
                        AS x(section, n, off, k)) AS s0
            CROSS JOIN LATERAL (SELECT s0.section, s0.n, s0.k,
                                       (%(entries)s::bigint[])[s0.off + 1 : s0.off + s0.n]
                                       AS entries) AS s
            """,
            {
                "ballot": ballot.pk,
                "regions": regions,
                "start": start,
                "voters": voters,
                "days": DAYS,
                "first": first,
                "last": last,
                "sections": [section for section, _e in layout],
                "sizes": [len(e) for _s, e in layout],
                "offsets": offsets(layout),
                "entries": [e for _s, entries in layout for e in entries],
            },
        )
        print(f"  voters {first:,}…{last:,} loaded", flush=True)
    conn.execute("SET session_replication_role = DEFAULT")
    timings["insert"] = time.monotonic() - t
    t = time.monotonic()
    for name, definition in constraints:
        conn.execute(f'ALTER TABLE voting_vote ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        if name not in unique_names:
            conn.execute(definition)
    timings["indexes"] = time.monotonic() - t
    t = time.monotonic()
    exclude_some(ballot)
    conn.execute("VACUUM ANALYZE voting_vote")
    conn.execute("VACUUM ANALYZE voting_voteexclusion")
    timings["vacuum"] = time.monotonic() - t
    return timings


def exclude_some(ballot) -> None:
    """EXCLUSIONS active exclusions, as organisers' reviews leave them (model defaults)."""
    from smartdialog.accounts.models import User
    from smartdialog.voting.models import Vote, VoteExclusion

    organiser = User.objects.filter(is_superuser=True).first()
    ids = Vote.objects.filter(ballot=ballot).order_by("id").values_list("id", flat=True)
    VoteExclusion.objects.bulk_create(
        VoteExclusion(vote_id=pk, reason="bench: кластер по IP", excluded_by=organiser)
        for pk in ids[:EXCLUSIONS]
    )


def offsets(layout) -> list[int]:
    result, total = [], 0
    for _section, entries in layout:
        result.append(total)
        total += len(entries)
    return result


def main(argv=None) -> int:
    args = parse_args(argv)
    command = "bench/tally.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    before = machine()
    date = datetime.datetime.now(datetime.UTC)
    started = time.monotonic()
    with Stack(max_seconds=3600) as stack:
        stack.app.setup_django()
        from django.db import connection

        from smartdialog.voting.tally import tally

        ballot = open_ballot()
        with stack.postgres.connect() as conn:
            timings = load_votes(conn, ballot, args.votes)
            total = conn.execute(
                "SELECT count(*) FROM voting_vote WHERE ballot_id = %s", [ballot.pk]
            ).fetchone()[0]
            size = conn.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('voting_vote'))"
            ).fetchone()[0]
        print(f"loaded {total:,} votes ({size}): {timings}", flush=True)
        connection.close()
        times, result = [], None
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = tally(ballot, counted_only=False)
            times.append(time.perf_counter() - t)
        cells = sum(len(e.regions) for e in result.entries)
        plan = explain(ballot)
    elapsed = time.monotonic() - started
    counted, excluded = result.counted, result.excluded
    totals_ok = counted + excluded == total and excluded == EXCLUSIONS
    best, median = min(times), statistics.median(times)
    ok = totals_ok and median <= TARGET_SECONDS
    report = render(
        command, date, before, elapsed, args, total, size, timings, times, cells,
        counted, excluded, totals_ok, ok,
    )  # fmt: skip
    print(plan)
    print(report)
    print(f"best {best:.2f} s, median {median:.2f} s")
    if args.write:
        write(report)
    return 0 if ok else 1


def explain(ballot) -> str:
    """EXPLAIN ANALYZE of each aggregate statement tally() runs (printed, not written)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from smartdialog.voting.tally import tally

    with CaptureQueriesContext(connection) as queries:
        tally(ballot, counted_only=False)
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if "count(" in query["sql"].lower():
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)


def render(
    command, date, before, elapsed, args, total, size, timings, times, cells,
    counted, excluded, totals_ok, ok,
) -> str:  # fmt: skip
    m = machine()
    runs = ", ".join(f"{t:.2f}" for t in times)
    return "\n".join(
        [
            "### Vote tally at 16.5 million votes (`bench/tally.py`)",
            "",
            f"- Date: {date:%Y-%m-%d %H:%M} UTC; run time {elapsed:.0f} s",
            f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram_gib']} GiB; load "
            f"average (1 min) {before['load']:.2f} before, {m['load']:.2f} after",
            f"- Command: `.venv/bin/python {command}`",
            "- PostgreSQL 15, throwaway cluster (shared_buffers 1GB, work_mem 64MB, 2 parallel "
            "workers per gather)",
            f"- Data: {total:,} votes ({size} with indexes) by {total // SECTIONS_PER_CAST:,} "
            "synthetic voters in 3 sections, 13 entries, 89 regions (skewed), over 53 days; "
            f"{EXCLUSIONS:,} active exclusions. Load {timings['insert']:.0f} s, indexes "
            f"{timings['indexes']:.0f} s, VACUUM ANALYZE {timings['vacuum']:.0f} s",
            f"- Measured: `voting.tally.tally(ballot, counted_only=False)` in process (both "
            f"aggregates, counted and excluded, per entry and per entry × region; {cells} "
            "entry × region cells), wall time of the call",
            "",
            "| runs | times, s | median, s | best, s | target |",
            "|---:|---|---:|---:|---|",
            f"| {len(times)} | {runs} | {statistics.median(times):.2f} | {min(times):.2f} | "
            f"≤ {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'} |",
            "",
            f"Counted {counted:,} + excluded {excluded:,} = all votes "
            f"({'yes' if totals_ok else 'NO'}).",
            "",
        ]
    )


def write(report: str) -> None:
    write_report(START, END, report)


if __name__ == "__main__":
    sys.exit(main())
