"""Benchmark: the moderation queue with many applications and filters.

Server time per page and SQL queries per page, measured in-process with the Django test
Client (no network, nothing listens on a port), logged in as the demo moderator of the 2023
edition. The queue is measured at two sizes in one run, a baseline (1,000 applications by
default) and the target (10,000), so the report shows how time and queries scale; the query
count of each URL must be the same at both sizes (the script exits 1 if it is not).

Run from the repository root, with PostgreSQL on 127.0.0.1:

    .venv/bin/python bench/moderation_queue.py --applications 10000 --requests 30 --write

Options: --applications N (target size, default 10000), --baseline N (default 1000),
--requests N (timed requests per URL, default 30), --database-url URL (default
postgres://postgres@127.0.0.1:5432/sd_bench_queue), --write (put the results into
docs/benchmarks.md, replacing this benchmark's previous section).

The script creates the database named in the URL (dropping a leftover one of that name
first), migrates it, loads the demo edition (`seed_demo`), bulk-creates organisations and
applications spread over nominations, regions, kinds of organisation and states, measures,
and drops the database at the end, also on error, Ctrl-C or SIGTERM. About a minute on 2 cores.
"""

import argparse
import datetime
import os
import platform
import shlex
import signal
import statistics
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from stack import write_report

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sd_bench_queue"
START = "<!-- bench/moderation_queue.py: start -->"
END = "<!-- bench/moderation_queue.py: end -->"
PAGE_SIZE = 50  # views.moderation.queue
BATCH = 2000
TITLES = [
    "Поликлиника без очередей",
    "Цифровая школа родителей",
    "Социальное такси для пожилых",
    "Мой двор: голосование жителей",
    "Открытая библиотека",
    "Единый диспетчер ЖКХ",
    "Электронная очередь в детский сад",
    "Муниципальный проектный офис",
]
SEARCH = "школа"  # in one title of eight
# Applications per ten, by state: 8 of 10 wait in the queue (submitted, in moderation,
# resubmitted); the others are returned or decided and only a `state` filter shows them.
STATES = ["submitted"] * 4 + ["in_moderation"] * 3 + ["resubmitted", "returned", "admitted"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args(argv)
    if not 0 < args.baseline < args.applications:
        parser.error("need 0 < --baseline < --applications")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    host = urlsplit(args.database_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the benchmark only loads a database on 127.0.0.1")
    return args


# --- the database: created and dropped by the script ---------------------------------------


def _maintenance(url: str):
    """A connection to the server's `postgres` database, to create and drop ours."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True), name


def create_database(url: str) -> None:
    from psycopg import sql

    conn, name = _maintenance(url)
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    from psycopg import sql

    conn, name = _maintenance(url)
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-only-not-a-secret",
        DEBUG="False",
        STATIC_MANIFEST="False",
        SECURE_COOKIES="False",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="smartdialog.settings",
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("REDIS_URL", None)  # sessions and cache in process memory
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------


class Data:
    """The demo edition plus bench organisations and applications, added in steps."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from smartdialog.accounts.demo import demo_email
        from smartdialog.accounts.models import Role
        from smartdialog.contests.models import Edition
        from smartdialog.reference.models import ApplicantKind, Region

        User = get_user_model()
        self.edition = Edition.objects.get(year=2023)
        self.moderator = User.objects.get(email=demo_email(Role.MODERATOR))
        self.organiser = User.objects.get(email=demo_email(Role.ORGANISER))
        self.applicant = User.objects.create_user("bench-applicant@example.ru", None)
        self.nominations = list(self.edition.nominations.order_by("order"))
        self.regions = list(Region.objects.order_by("order", "pk"))
        self.kinds = list(ApplicantKind.objects.filter(parent__isnull=False).order_by("order"))
        self.count = 0

    def grow_to(self, total: int) -> None:
        """Add organisations and applications (one each) until there are `total`."""
        from django.db import connection, transaction

        from smartdialog.organizations.models import Organization
        from smartdialog.submissions.models import Submission

        while self.count < total:
            numbers = range(self.count, min(total, self.count + BATCH))
            with transaction.atomic():
                organizations = Organization.objects.bulk_create(
                    [self._organization(i) for i in numbers]
                )
                Submission.objects.bulk_create(
                    [self._submission(i, o) for i, o in zip(numbers, organizations, strict=True)]
                )
            self.count = numbers.stop
        with connection.cursor() as cursor:
            # `state_changed_at` and `submitted_at` are set on insert: spread the waiting
            # time over 0-119 days, deterministically by id.
            cursor.execute(
                f"UPDATE {Submission._meta.db_table} SET "
                "state_changed_at = now() - (id % 120) * interval '1 day' - "
                "(id % 97) * interval '1 minute', "
                "submitted_at = now() - (id % 120 + 3) * interval '1 day'"
            )
            cursor.execute("ANALYZE")

    def _organization(self, i: int):
        from smartdialog.organizations.models import Organization

        region = self.regions[i % len(self.regions)]
        return Organization(
            full_name=f"Бюджетное учреждение «Центр развития {i}»",
            short_name=f"БУ «Центр {i}»",
            kind=self.kinds[(i // 7) % len(self.kinds)],
            region=region,
            inn=f"99{i:08d}",  # unique, not a valid checksum: bench rows only
            ogrn=f"1099{i:09d}",
            address=f"{region.name}, ул. Ленина, д. {i % 200 + 1}",
            contact_name="Иванова Мария Петровна",
            contact_email=f"centre{i}@example.ru",
            created_by=self.applicant,
        )

    def _submission(self, i: int, organization):
        from smartdialog.submissions.models import Submission

        state = STATES[i % len(STATES)]
        moderator = None
        if state == "in_moderation":
            moderator = self.moderator if i % 2 else self.organiser
        return Submission(
            edition=self.edition,
            nomination=self.nominations[(i // 3) % len(self.nominations)],
            organization=organization,
            created_by=self.applicant,
            state=state,
            moderator=moderator,
            title=f"{TITLES[i % len(TITLES)]} — {i}",
            problem="Долгие очереди и бумажные заявления.",
            solution="Электронная запись и единое окно.",
        )

    def urls(self) -> list[tuple[str, dict]]:
        """The queue URLs measured, as (label, GET parameters)."""
        from smartdialog.reference.models import ApplicantKind, Region
        from smartdialog.submissions.selectors import moderation_queue

        pages = max(1, -(-moderation_queue(self.edition).count() // PAGE_SIZE))
        nomination = self.nominations[0]
        return [
            ("no filter, page 1", {}),
            (f"no filter, middle page ({pages // 2 + 1} of {pages})", {"page": pages // 2 + 1}),
            (f"no filter, last page ({pages})", {"page": pages}),
            (f"nomination {nomination.code}", {"nomination": nomination.pk}),
            ("region (Пермский край)", {"region": Region.objects.get(code="59").pk}),
            ("kind (group: non-profit)", {"kind": ApplicantKind.objects.get(code="ngo").pk}),
            ("waiting ≥ 30 days", {"waiting_days": 30}),
            (f"search «{SEARCH}»", {"query": SEARCH}),
            ("order=region", {"order": "region"}),
        ]


# --- measuring -----------------------------------------------------------------------------


def measure(client, url: str, label: str, params: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    full = f"{url}?{urlencode(params)}" if params else url
    # One request with the queries captured (SQL count and the slowest statement), then the
    # timed ones without capturing, so the debug cursor does not add to the time.
    sql_times = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_times.append((time.perf_counter() - started) * 1000)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
        response = client.get(full)
    if response.status_code != 200:
        raise RuntimeError(f"{full}: HTTP {response.status_code}")
    count = len(queries)  # now: the next request clears the connection's query log
    rows = response.content.count(b'name="selected"')
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(full)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{full}: HTTP {response.status_code}")
    times.sort()
    return {
        "label": label,
        "url": full,
        "rows": rows,
        "requests": requests,
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": count,
        "sql_total": sum(sql_times),
        "slowest_sql": max(sql_times),
    }


def run_scale(data: Data, total: int, requests: int) -> tuple[int, list[dict]]:
    from django.test import Client
    from django.urls import reverse

    from smartdialog.submissions.selectors import moderation_queue

    data.grow_to(total)
    client = Client()
    client.force_login(data.moderator)
    url = reverse("moderation:queue", args=[data.edition.year])
    client.get(url)  # warm up: templates, translations, connection
    waiting = moderation_queue(data.edition).count()
    print(f"\n{total} applications ({waiting} awaiting moderation), {requests} requests per URL")
    results = [measure(client, url, label, params, requests) for label, params in data.urls()]
    return waiting, results


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


def versions() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    return f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}"


def table(results: list[dict]) -> str:
    lines = [
        "| URL | rows on page | requests | median, ms | p95, ms | SQL queries "
        "| SQL total, ms | slowest SQL, ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['rows']} | {r['requests']} | {r['median']:.1f} | "
            f"{r['p95']:.1f} | {r['queries']} | {r['sql_total']:.1f} | {r['slowest_sql']:.1f} |"
        )
    return "\n".join(lines)


def scaling(base: list[dict], target: list[dict], n_base: int, n_target: int) -> str:
    lines = [
        f"| URL | median at {n_base:,}, ms | median at {n_target:,}, ms | time × | "
        f"queries at {n_base:,} | queries at {n_target:,} |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for b, t in zip(base, target, strict=True):
        label = b["label"].split(" (")[0]
        lines.append(
            f"| {label} | {b['median']:.1f} | {t['median']:.1f} | "
            f"{t['median'] / b['median']:.2f} | {b['queries']} | {t['queries']} |"
        )
    return "\n".join(lines)


def differing(base: list[dict], target: list[dict]) -> list[str]:
    """URLs whose query count differs between the sizes; an empty page skips its row query,
    so only URLs that list rows at both sizes are compared."""
    return [
        t["label"]
        for b, t in zip(base, target, strict=True)
        if b["rows"] and t["rows"] and b["queries"] != t["queries"]
    ]


def report(args, command: str, scales: list[tuple[int, int, list[dict]]], elapsed: float) -> str:
    m = machine()
    (n_base, w_base, base), (n_target, w_target, target) = scales
    now = datetime.datetime.now().astimezone()
    grows = differing(base, target)
    return "\n".join(
        [
            START,
            "## Moderation queue (`bench/moderation_queue.py`)",
            "",
            f"- Date: {now:%Y-%m-%d %H:%M %Z}",
            f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram']}; load average "
            f"(1 min) {args.load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after "
            "(other processes on a shared machine make the times noisy, p95 most; the SQL "
            "columns vary less)",
            f"- Software: {versions()}; DEBUG=False, in-process Django test Client "
            "(no network), the demo moderator logged in, 50 rows per page",
            f"- Command: `{command}` (run time {elapsed:.0f} s, database created and dropped "
            "by the script)",
            "- Data: the demo 2023 edition; one organisation per application, spread over "
            f"{len(TITLES)} titles, all nominations, 89 regions, 12 sub-kinds and states "
            "(8 of 10 awaiting moderation), waiting 0–119 days; `ANALYZE` after loading",
            "- Time: `time.perf_counter()` around `client.get` (server time of the whole "
            "request: middleware, view, SQL, template); SQL queries counted with "
            "`CaptureQueriesContext` on one extra untimed request, whose statements are also "
            "timed (SQL total and slowest statement, `connection.execute_wrapper`; the "
            "execute of a server-side cursor, without its fetches)",
            "",
            f"### {n_target:,} applications ({w_target:,} awaiting moderation)",
            "",
            table(target),
            "",
            f"### Baseline: {n_base:,} applications ({w_base:,} awaiting moderation)",
            "",
            table(base),
            "",
            f"### Scaling {n_base:,} → {n_target:,}",
            "",
            scaling(base, target, n_base, n_target),
            "",
            "SQL queries per page equal at both sizes (URLs listing rows at both): "
            + ("yes." if not grows else f"**NO**: {', '.join(grows)}."),
            END,
        ]
    )


def write(section: str) -> None:
    write_report(START, END, section.removeprefix(START + "\n").removesuffix(END))
    print(f"\nwritten to {DOC.relative_to(ROOT)}")


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    command = shlex.join([".venv/bin/python", "bench/moderation_queue.py", *sys.argv[1:]])
    # Ctrl-C raises KeyboardInterrupt; make a plain `kill` unwind too, so the database is dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.load_before = os.getloadavg()[0]
    started = time.perf_counter()
    create_database(args.database_url)
    try:
        setup_django(args.database_url)
        from django.core.management import call_command
        from django.db import connections

        try:
            print("migrating and loading the demo edition…")
            call_command("migrate", verbosity=0, interactive=False)
            call_command("seed_demo", stdout=StringIO())
            data = Data()
            scales = []
            for total in (args.baseline, args.applications):
                waiting, results = run_scale(data, total, args.requests)
                print(table(results))
                scales.append((total, waiting, results))
            section = report(args, command, scales, time.perf_counter() - started)
        finally:
            connections.close_all()
    finally:
        drop_database(args.database_url)
    print("\n" + section)
    if args.write:
        write(section)
    (_, _, base), (_, _, target) = scales
    if grows := differing(base, target):
        print(f"FAIL: the number of SQL queries changes with the applications: {grows}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
