"""Benchmark: the open-data archive of an edition with a million votes, streamed.

The archive (`/results/<year>/data/archive.zip`) is downloaded through the real code path,
the Django test Client in a child process that does nothing else: it streams the response
into a file in a temporary folder and reports the wall time from the request to the last
byte and its own peak resident memory (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, which
covers the whole process life, Django and its imports included). The parent then opens the
file and checks it: the members are there, `log/votes.csv` has one line per vote plus the
header, `datapackage.json` parses. Targets: ≤ 30 s and ≤ 200 MB; exit status 1 if missed.

Run from the repository root, with PostgreSQL on 127.0.0.1:

    .venv/bin/python bench/opendata.py --votes 1000000 --write

Options: --votes N (default 1,000,000; each voter votes in every section), --database-url
URL (default postgres://postgres@127.0.0.1:5432/sd_bench_opendata), --write (put the result
into docs/benchmarks.md, replacing this benchmark's previous section).

The script creates the database named in the URL (dropping a leftover one of that name
first), migrates it, loads the demo edition (`seed_demo`), adds a closed ballot of a section
per direction with 10 admitted applications each and publishes the results through the real
service; voters and votes are generated in PostgreSQL with `generate_series` (votes spread
over the 89 regions and the window, sealed into batches of 5,000 as `seal_votes` would, the
batch hashes stand-ins: this measures streaming, not sealing). The database is dropped at
the end, also on error, Ctrl-C or SIGTERM. About 2 minutes on 2 cores.
"""

import argparse
import datetime
import json
import os
import resource
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from moderation_queue import create_database, drop_database, machine, setup_django, versions
from stack import write_report

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sd_bench_opendata"
START = "<!-- bench/opendata.py: start -->"
END = "<!-- bench/opendata.py: end -->"
YEAR = 2023
ENTRIES = 10  # per section
BATCH = 5000  # votes per sealed batch, as `seal_votes`
TARGET_SECONDS = 30
TARGET_MB = 200


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.votes < 1:
        parser.error("--votes must be positive")
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the benchmark only loads a database on 127.0.0.1")
    return args


# --- data ----------------------------------------------------------------------------------


def load(votes: int) -> dict:
    """The demo edition, a closed ballot (a section per direction, 10 admitted applications
    each), published results and `votes` votes (one per section and voter), sealed."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from smartdialog.accounts.demo import demo_email
    from smartdialog.accounts.models import Role
    from smartdialog.contests.models import Edition
    from smartdialog.organizations.models import Organization
    from smartdialog.results import services
    from smartdialog.submissions.models import Submission
    from smartdialog.voting.models import (
        Ballot,
        BallotEntry,
        BallotSection,
        SealedBatch,
        Vote,
        Voter,
    )

    call_command("seed_demo", stdout=StringIO())
    edition = Edition.objects.get(year=YEAR)
    organiser = get_user_model().objects.get(email=demo_email(Role.ORGANISER))
    organization = Organization.objects.first()
    directions = list(edition.directions.order_by("number"))
    moscow = datetime.timezone(datetime.timedelta(hours=3))
    with transaction.atomic():
        ballot = Ballot.objects.create(
            edition=edition,
            opens_at=datetime.datetime(YEAR, 11, 1, tzinfo=moscow),
            closes_at=datetime.datetime(YEAR, 11, 30, tzinfo=moscow),
        )
        for order, direction in enumerate(directions, start=1):
            section = BallotSection.objects.create(
                ballot=ballot, direction=direction, title=direction.title, order=order
            )
            nomination = direction.nominations.order_by("order").first()
            for i in range(1, ENTRIES + 1):
                submission = Submission.objects.create(
                    edition=edition,
                    nomination=nomination,
                    organization=organization,
                    created_by=organiser,
                    state="admitted",
                    title=f"Практика {direction.number}.{i}",
                )
                BallotEntry.objects.create(section=section, submission=submission, order=i)
    voters = -(-votes // len(directions))  # the last voter may vote in fewer sections
    tables = {
        "voter": Voter._meta.db_table,
        "vote": Vote._meta.db_table,
        "batch": SealedBatch._meta.db_table,
        "entry": BallotEntry._meta.db_table,
        "section": BallotSection._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"""INSERT INTO {tables["voter"]} (phone, pseudonym, region_id, created_at, verified_at)
            SELECT '+7900' || lpad(i::text, 7, '0'), substr(md5(i::text), 1, 16),
                   (SELECT array_agg(id ORDER BY id) FROM reference_region)[1 + (i * 37) %% 89],
                   now(), now()
            FROM generate_series(1, %s) AS i""",
            [voters],
        )
        batches = -(-votes // BATCH)
        cursor.execute(
            f"""INSERT INTO {tables["batch"]} (ballot_id, number, previous_hash, hash, votes,
                                                sealed_at)
            SELECT %s, n, encode(sha256(convert_to((n - 1)::text, 'UTF8')), 'hex'),
                   encode(sha256(convert_to(n::text, 'UTF8')), 'hex'),
                   least(%s, %s - (n - 1) * %s), %s
            FROM generate_series(1, %s) AS n""",
            [ballot.pk, BATCH, votes, BATCH, ballot.closes_at, batches],
        )
        # Entry k of a section gets a share falling with k (popular and unpopular practices);
        # votes are numbered in insertion order, so batch = (n - 1) / 5000 + 1 as when sealed.
        cursor.execute(
            f"""INSERT INTO {tables["vote"]} (ballot_id, section_id, entry_id, voter_id, slot,
                region_id, cast_at, receipt, ip, user_agent, batch_id)
            SELECT %(ballot)s, s.id, e.id, v.id, 1, v.region_id,
                   %(opens)s + random() * (%(closes)s - %(opens)s),
                   'B' || lpad(n::text, 9, '0'), NULL, '',
                   b.id
            FROM (
                SELECT v.id AS voter, s.id AS section,
                       row_number() OVER (ORDER BY v.id, s."order") AS n,
                       1 + floor(%(entries)s * power(random(), 2))::int AS k
                FROM {tables["voter"]} v CROSS JOIN {tables["section"]} s
                WHERE s.ballot_id = %(ballot)s
            ) AS pick
            JOIN {tables["voter"]} v ON v.id = pick.voter
            JOIN {tables["section"]} s ON s.id = pick.section
            JOIN {tables["entry"]} e ON e.section_id = s.id AND e."order" = pick.k
            JOIN {tables["batch"]} b ON b.ballot_id = %(ballot)s
                 AND b.number = (pick.n - 1) / {BATCH} + 1
            WHERE pick.n <= %(votes)s
            ORDER BY pick.n""",
            {
                "ballot": ballot.pk,
                "opens": ballot.opens_at,
                "closes": ballot.closes_at,
                "entries": ENTRIES,
                "votes": votes,
            },
        )
        cursor.execute("ANALYZE")
    services.publish(edition, by=organiser)
    return {"sections": len(directions), "voters": voters}


# --- the child: one download, nothing else -------------------------------------------------


def child(url: str, out: str) -> dict:
    """Download the archive into `out`; the time to the last byte and this process's peak RSS."""
    setup_django(url)
    from django.test import Client

    client = Client()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size, chunks = 0, 0
    started = time.perf_counter()
    response = client.get(f"/results/{YEAR}/data/archive.zip")
    first_byte = None
    with open(out, "wb") as sink:
        for chunk in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            sink.write(chunk)
            size += len(chunk)
            chunks += 1
    response.close()
    elapsed = time.perf_counter() - started
    return {
        "status": response.status_code,
        "streaming": response.streaming,
        "time": elapsed,
        "first_byte": first_byte,
        "bytes": size,
        "chunks": chunks,
        "rss_before": rss_before,
        "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def check(path: str, votes: int) -> dict:
    """Open the downloaded archive and count what it holds, reading members as streams."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        package = json.loads(archive.read("datapackage.json"))
        with archive.open("log/votes.csv") as log:
            lines = sum(1 for _line in log)
        head = json.loads(archive.read("log/head.json"))
        sizes = {i.filename: (i.file_size, i.compress_size) for i in archive.infolist()}
    problems = []
    if lines != votes + 1:
        problems.append(f"log/votes.csv has {lines} lines, expected {votes + 1}")
    described = {r["path"] for r in package["resources"]} | {"README.txt", "datapackage.json"}
    if set(names) != described:
        problems.append(f"not described: {sorted(set(names) - described)}")
    return {
        "members": len(names),
        "tables": sum(1 for n in names if n.startswith("tables/")),
        "log_lines": lines,
        "head_batch": head["last_batch"],
        "votes_csv": sizes["log/votes.csv"],
        "problems": problems,
    }


# --- the report ----------------------------------------------------------------------------


def report(args, command, data, result, checked, elapsed, load_before) -> str:
    mb = 1024**2
    raw, packed = checked["votes_csv"]
    met = result["time"] <= TARGET_SECONDS and result["rss_peak"] <= TARGET_MB
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=3)))
    m = machine()
    return "\n".join(
        [
            START,
            "## Open-data archive (`bench/opendata.py`)",
            "",
            f"- Date: {now:%Y-%m-%d %H:%M} MSK",
            f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram']}; load average "
            f"(1 min) {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after (other "
            "processes on a shared machine make the time noisy)",
            f"- Software: {versions()}; DEBUG=False, in-process Django test Client (no network)",
            f"- Command: `{command}` (run time {elapsed:.0f} s, database created and dropped "
            "by the script)",
            f"- Data: the demo {YEAR} edition, a closed ballot of {data['sections']} sections "
            f"(its directions) × {ENTRIES} practices, {data['voters']:,} voters voting in "
            f"every section = {args.votes:,} votes over the 89 regions, sealed in "
            f"{checked['head_batch']:,} batches of {BATCH:,} (stand-in hashes: this measures "
            "streaming, not sealing), results published through `results.services.publish`",
            "- Measured: a child process that only downloads `/results/2023/data/archive.zip` "
            "into a file (`perf_counter` from the request to the last byte; peak RSS = "
            "`ru_maxrss` of that process, Django included); the parent then opens the file "
            "and counts `log/votes.csv` line by line",
            "",
            "| votes | time to last byte, s | first byte, s | archive, MB | log/votes.csv "
            "(raw → deflated), MB | members (tables) | RSS before request, MB | peak RSS, MB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {args.votes:,} | {result['time']:.1f} | {result['first_byte']:.2f} "
            f"| {result['bytes'] / mb:.1f} | {raw / mb:.1f} → {packed / mb:.1f} "
            f"| {checked['members']} ({checked['tables']}) | {result['rss_before']:.0f} "
            f"| {result['rss_peak']:.0f} |",
            "",
            f"Archive checked: {checked['log_lines'] - 1:,} vote lines, every member described "
            "in datapackage.json: "
            + ("yes." if not checked["problems"] else f"**NO**: {checked['problems']}."),
            "",
            f"Targets (≤ {TARGET_SECONDS} s, ≤ {TARGET_MB} MB peak RSS): "
            + ("met." if met else "**not met**."),
            END,
        ]
    )


def write(section: str) -> None:
    write_report(START, END, section.removeprefix(START + "\n").removesuffix(END))
    print(f"\nwritten to {DOC.relative_to(ROOT)}")


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        print(json.dumps(child(args.database_url, args.child)))
        return 0
    command = shlex.join([".venv/bin/python", "bench/opendata.py", *sys.argv[1:]])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    create_database(args.database_url)
    try:
        setup_django(args.database_url)
        from django.core.management import call_command
        from django.db import connections

        try:
            print("migrating…")
            call_command("migrate", verbosity=0, interactive=False)
            print(f"loading {args.votes:,} votes…")
            t = time.perf_counter()
            data = load(args.votes)
            print(f"loaded in {time.perf_counter() - t:.0f} s; streaming the archive…")
            connections.close_all()
            with tempfile.TemporaryDirectory() as folder:
                out = str(Path(folder) / "archive.zip")
                run = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--database-url",
                        args.database_url,
                        "--votes",
                        str(args.votes),
                        "--child",
                        out,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(run.stdout.strip().splitlines()[-1])
                if result["status"] != 200 or not result["streaming"]:
                    raise SystemExit(f"the archive was not streamed: {result}")
                checked = check(out, args.votes)
            section = report(
                args, command, data, result, checked, time.perf_counter() - started, load_before
            )
        finally:
            connections.close_all()
    finally:
        drop_database(args.database_url)
    print("\n" + section)
    if args.write:
        write(section)
    missed = result["time"] > TARGET_SECONDS or result["rss_peak"] > TARGET_MB
    return 1 if missed or checked["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
