"""Benchmark: the public results page served from cache, and the vote's figures at 1M votes.

One run starts a throwaway stack (`stack.py`: PostgreSQL cluster, Redis, gunicorn gthread
workers, DEBUG off), lays out the demo 2023 ballot (3 sections, 13 entries; `vote_setup`),
closes it, and inserts --votes votes by SQL (two sections per voter, so votes / 2 voters,
regions and practices skewed, cast times spread over 32 days) and one exclusion per 1 000
votes. Then:

1. analytics: `results.figures.compute` for the whole vote and for one region's cut, each
   --repeat times in this process against the stack's PostgreSQL; target ≤ 2 s;
2. the results are published and `/results/2023/` is fetched once (computed and cached in
   Redis); then, over the same keep-alive connections from a closed-loop asyncio client,
   the bare page (`/bench/bare-page/?size=N`: same server and middleware, no database, no
   template, N = the results page's size) and the results page (one round trip to Redis,
   `results/state.py`) in turn, --rounds times
   each for --seconds; the ratio is results / bare throughput, target ≥ 50 %, and the
   results page's p99 ≤ 50 ms.

Run from the repository root (loopback only; stops by itself; about 2 min at 1M votes):

    .venv/bin/python bench/results_page.py --votes 1000000 --write

--write puts the figures into docs/benchmarks.md (its own section). Exit status 1 when a
target is missed or a request failed.
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

from stack import Request, Stack, load, machine, write_report
from vote_setup import APP_ENV, open_ballot

PAGE = "/results/2023/"
BARE = "/bench/bare-page/?size={size}"
ANALYTICS_TARGET = 2.0
RATIO_TARGET = 0.5
P99_TARGET = 0.050
WINDOW_DAYS = 32


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--write", action="store_true")
    return parser.parse_args(argv)


def insert_votes(postgres, ballot, votes: int) -> None:
    """Voters and votes straight into the tables, as `cast` would leave them."""
    from smartdialog.reference.models import Region

    regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
    layout = [
        (s.pk, list(s.entries.order_by("order").values_list("pk", flat=True)))
        for s in ballot.sections.order_by("order")
    ]
    voters = (votes + 1) // 2
    with postgres.connect() as conn:
        first = conn.execute(
            "INSERT INTO voting_voter (phone, pseudonym, region_id, created_at, verified_at) "
            "SELECT '+79' || lpad(g::text, 9, '0'), substr(md5(g::text), 1, 16), "
            "  (%s::bigint[])[1 + floor(power(random(), 2.5) * %s)::int], now(), now() "
            "FROM generate_series(1, %s) g RETURNING id",
            (regions, len(regions), voters),
        ).fetchone()[0]
        conn.execute("CREATE TEMP TABLE layout (idx int, section_id bigint, entries bigint[])")
        for idx, (section_id, entries) in enumerate(layout):
            conn.execute("INSERT INTO layout VALUES (%s, %s, %s)", (idx, section_id, entries))
        conn.execute(
            "INSERT INTO voting_vote (ballot_id, section_id, entry_id, voter_id, slot, "
            "  region_id, cast_at, receipt, ip, user_agent) "
            "SELECT %(ballot)s, l.section_id, "
            "  l.entries[1 + floor(power(random(), 1.8) * array_length(l.entries, 1))::int], "
            "  v.id, 1, v.region_id, %(opens)s + random() * (%(closes)s - %(opens)s), "
            "  'B' || n, NULL, '' "
            "FROM generate_series(0, %(votes)s - 1) n "
            "JOIN voting_voter v ON v.id = %(first)s + n / 2 "
            "JOIN layout l ON l.idx = ((n / 2) %% %(sections)s + n %% 2) %% %(sections)s",
            {
                "ballot": ballot.pk,
                "opens": ballot.opens_at,
                "closes": ballot.closes_at,
                "votes": votes,
                "first": first,
                "sections": len(layout),
            },
        )
        # As a table that has lived through a vote would be: hint bits set, statistics fresh.
        conn.execute("VACUUM ANALYZE voting_vote")
        conn.execute("VACUUM ANALYZE voting_voter")


def exclude_some(ballot) -> int:
    """One vote in a thousand excluded (so the anti-join does real work)."""
    from django.db.models import F

    from smartdialog.accounts.models import User
    from smartdialog.voting.models import Vote, VoteExclusion

    by = User.objects.filter(is_superuser=True).first()
    ids = (
        Vote.objects.filter(ballot=ballot)
        .annotate(rest=F("id") % 1000)
        .filter(rest=0)
        .values_list("pk", flat=True)
    )
    made = VoteExclusion.objects.bulk_create(
        VoteExclusion(vote_id=pk, reason="bench", excluded_by=by) for pk in ids
    )
    return len(made)


def analytics(ballot, repeat: int) -> dict:
    from smartdialog.results import figures

    timings = {}
    for name, cut in (
        ("whole vote", figures.Filters()),
        ("region 77", figures.Filters(region="77")),
    ):
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = figures.compute(ballot, cut)
            seconds.append(time.perf_counter() - started)
        timings[name] = {"seconds": seconds, "counted": result.counted, "voters": result.voters}
    return timings


def publish(ballot) -> None:
    from smartdialog.accounts.models import User
    from smartdialog.results import services

    services.publish(ballot.edition, by=User.objects.filter(is_superuser=True).first())


def fetch(url: str) -> tuple[int, float, int]:
    import urllib.request

    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        return response.status, time.perf_counter() - started, len(body)


def measure(stack, path: str, connections: int, seconds: float):
    return asyncio.run(
        load(
            stack.app.url,
            lambda _n: Request("GET", path),
            connections=connections,
            duration=seconds,
        )
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    command = "python bench/results_page.py " + shlex.join(
        argv if argv is not None else sys.argv[1:]
    )
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    before = machine()
    with Stack(workers=args.workers, threads=args.threads, env=APP_ENV, max_seconds=1800) as stack:
        stack.app.setup_django()
        from django.utils import timezone

        ballot = open_ballot()
        now = timezone.now()
        ballot.opens_at = now - datetime.timedelta(days=WINDOW_DAYS + 1)
        ballot.closes_at = now - datetime.timedelta(days=1)
        ballot.save(update_fields=["opens_at", "closes_at"])
        started = time.perf_counter()
        insert_votes(stack.postgres, ballot, args.votes)
        excluded = exclude_some(ballot)
        setup = time.perf_counter() - started
        print(
            f"{args.votes:,} votes and {excluded:,} exclusions inserted in {setup:.1f} s",
            flush=True,
        )
        timings = analytics(ballot, args.repeat)
        for name, t in timings.items():
            print(
                f"analytics, {name}: " + ", ".join(f"{s:.2f} s" for s in t["seconds"]), flush=True
            )
        publish(ballot)
        stack.app.start()
        status, cold, size = fetch(stack.app.url + PAGE)
        if status != 200:
            raise RuntimeError(f"{PAGE} answered {status}")
        print(f"first request (computes and caches): {cold:.2f} s, {size:,} bytes", flush=True)
        measure(stack, PAGE, args.connections, 2)  # warm every worker's connections
        results = {"bare": [], "page": []}
        for _ in range(args.rounds):
            for name, path in (("bare", BARE.format(size=size)), ("page", PAGE)):
                result = measure(stack, path, args.connections, args.seconds)
                results[name].append(result)
                print(f"{name}: {result.summary()}", flush=True)
    return report(args, command, date, before, timings, cold, size, excluded, results)


def merged(results) -> dict:
    latencies = sorted(a.latency for r in results for a in r.answers)
    answers = sum(len(r.answers) for r in results)
    elapsed = sum(r.elapsed for r in results)
    errors = sum(1 for r in results for a in r.answers if a.status != 200)

    def pct(q):
        return latencies[min(len(latencies) - 1, max(0, round(q / 100 * len(latencies) + 0.5) - 1))]

    return {
        "requests": answers,
        "throughput": answers / elapsed,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors,
    }


def report(args, command, date, before, timings, cold, size, excluded, results) -> int:
    after = machine()
    bare, page = merged(results["bare"]), merged(results["page"])
    ratio = page["throughput"] / bare["throughput"]
    worst = max(max(t["seconds"]) for t in timings.values())
    ok = (
        worst <= ANALYTICS_TARGET
        and ratio >= RATIO_TARGET
        and page["p99"] <= P99_TARGET
        and bare["errors"] == page["errors"] == 0
    )
    whole = timings["whole vote"]
    lines = [
        "## Results pages (`bench/results_page.py`)",
        "",
        f"Run {date} on {before['nproc']} cores ({before['cpu']}), {before['ram_gib']} GiB "
        f"RAM, load average {before['load']:.1f} before the run (other work shares the "
        f"machine), {after['load']:.1f} after, Python {before['python']}. "
        f"Command: `{command}`.",
        "",
        f"Data: the demo 2023 ballot (3 directions, 13 practices), {args.votes:,} votes by "
        f"{whole['voters']:,} voters inserted by SQL, {excluded:,} excluded; throwaway "
        "PostgreSQL cluster, Redis cache, gunicorn "
        f"{args.workers} workers × {args.threads} threads, DEBUG off, loopback.",
        "",
        "### Analytics (`results.figures.compute`: votes per practice × region and per "
        "practice × hour, excluded ones apart, distinct voters per region and in all)",
        "",
        "| cut | runs (s) | median (s) | target |",
        "|---|---|---|---|",
    ]
    for name, t in timings.items():
        lines.append(
            f"| {name} ({t['counted']:,} counted votes) | "
            + ", ".join(f"{s:.2f}" for s in t["seconds"])
            + f" | {statistics.median(t['seconds']):.2f} | ≤ {ANALYTICS_TARGET:.0f} |"
        )
    lines += [
        "",
        f"### `/results/2023/` from cache vs a bare page ({args.connections} connections, "
        f"{args.rounds} × {args.seconds:.0f} s each, alternating)",
        "",
        f"The first request computed the figures and rendered the body in {cold:.2f} s "
        f"({size:,} bytes); every later one is one round trip to Redis (the results state "
        "under its generation and the whole page, `results/state.py`), no database query. "
        "The bare page is the same server and middleware returning as many bytes with no "
        "database, no cache and no template.",
        "",
        "| endpoint | requests | per second | p50 (ms) | p95 (ms) | p99 (ms) | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, m in (("bare page", bare), ("results page", page)):
        lines.append(
            f"| {name} | {m['requests']:,} | {m['throughput']:.0f} | {m['p50'] * 1000:.1f} | "
            f"{m['p95'] * 1000:.1f} | {m['p99'] * 1000:.1f} | {m['errors']} |"
        )
    lines += [
        "",
        f"Ratio results / bare: **{ratio:.0%}** (target ≥ {RATIO_TARGET:.0%}); results p99 "
        f"**{page['p99'] * 1000:.1f} ms** (target ≤ {P99_TARGET * 1000:.0f} ms); analytics "
        f"worst **{worst:.2f} s** (target ≤ {ANALYTICS_TARGET:.0f} s). "
        f"Result: **{'pass' if ok else 'FAIL'}**.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write(text)
    return 0 if ok else 1


def write(report: str) -> None:
    write_report(
        "<!-- bench/results_page.py: start -->", "<!-- bench/results_page.py: end -->", report
    )


if __name__ == "__main__":
    sys.exit(main())
