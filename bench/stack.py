"""The production stack on loopback for HTTP benchmarks, and a closed-loop load client.

Reused by the vote benchmarks (`vote_load.py`, `vote_faults.py`, `tally.py`) and any other
benchmark that needs the real server path:

- `Postgres`: a throwaway PostgreSQL cluster (the system's binaries, run as the `postgres`
  user when we are root) in a temporary directory on a free port, tuned for a benchmark but
  durable (fsync and synchronous_commit stay on, so a restart loses no committed row);
  `restart()` restarts only this cluster, never the shared server on 5432.
- `Redis`: a private `redis-server` on a free port, no persistence.
- `App`: `manage.py` commands and gunicorn (gthread workers) with production settings:
  DEBUG off, REDIS_URL (Redis cache and sessions), SECRET_KEY, ALLOWED_HOSTS=127.0.0.1.
- `Stack`: the three together, as a context manager that stops everything it started, also
  on an error, Ctrl-C, SIGTERM or its own deadline (`max_seconds`).
- `load(...)`: N connections (aiohttp, keep-alive) each sending its next request as soon as
  the previous answer arrives, for a duration or until the requests run out; per-request
  latency, status counts, client errors; p50/p95/p99 and throughput in `LoadResult`.

Everything listens on 127.0.0.1 only and every wait has a timeout.

    from stack import Stack, load
    with Stack(workers=2, threads=8, max_seconds=900) as stack:
        stack.app.manage("seed_demo")
        stack.app.start()
        result = asyncio.run(load(stack.app.url, requests_fn, connections=64, duration=20))
        print(result.summary())
"""

import asyncio
import itertools
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SECRET_KEY = "bench-only-not-a-secret"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")


def listening(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


def machine() -> dict:
    """nproc, CPU model, RAM and load, for the reports."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        kib = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        kib = 0
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(kib / 1024 / 1024, 1),
        "load": os.getloadavg()[0],
        "python": platform.python_version(),
    }


def write_report(start: str, end: str, report: str) -> None:
    """Put `report` between the markers `start` and `end` in docs/benchmarks.md, replacing
    the previous run's block, or append the block when the markers are not there yet."""
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8")
    block = f"{start}\n{report}{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


# --- PostgreSQL ----------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster: initdb in a temporary directory, started on a free port."""

    SETTINGS = {
        "listen_addresses": LOOPBACK,
        "max_connections": "300",
        "shared_buffers": "1GB",
        "work_mem": "64MB",
        "maintenance_work_mem": "512MB",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "30min",
        "wal_buffers": "64MB",
        "effective_cache_size": "8GB",
        "random_page_cost": "1.1",
        "max_parallel_workers_per_gather": "2",
        "jit": "off",
        "autovacuum": "on",
    }

    def __init__(self, port: int | None = None, database: str = "smartdialog"):
        self.port = port or free_port()
        self.database = database
        self.dir = Path(tempfile.mkdtemp(prefix="sd-bench-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@{LOOPBACK}:{self.port}/{self.database}"

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _ctl(self, *args, check=True, timeout=120):
        return subprocess.run(
            [*self.as_user, PG_BIN / "pg_ctl", "-D", self.data, *args],
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )

    def start(self) -> "Postgres":
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                [
                    *self.as_user,
                    PG_BIN / "initdb",
                    "-D",
                    self.data,
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                timeout=120,
            )
        self._start()
        self.started = True
        wait_for(lambda: listening(self.port), 30, "PostgreSQL")
        self._create_database()
        return self

    def _start(self):
        options = " ".join(f"-c {k}={v}" for k, v in self.SETTINGS.items())
        server = f"-p {self.port} -k {self.dir} {options}"
        self._ctl("-w", "-t", "60", "-l", self.dir / "log", "-o", server, "start")

    def _create_database(self):
        import psycopg

        admin = f"postgres://postgres@{LOOPBACK}:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{self.database}"')

    def connect(self):
        """A psycopg connection (autocommit) to the benchmark database."""
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def restart(self, mode: str = "fast") -> float:
        """Restart this cluster (mode: fast or immediate); seconds it was unreachable."""
        started = time.monotonic()
        self._ctl("-m", mode, "-w", "-t", "60", "stop")
        self._start()
        wait_for(lambda: listening(self.port), 30, "PostgreSQL after restart")
        return time.monotonic() - started

    def stop(self):
        if self.started:
            self._ctl("-m", "immediate", "stop", check=False, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Redis ---------------------------------------------------------------------------------


class Redis:
    """A private redis-server on a free loopback port, in memory only."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> "Redis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
             "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: listening(self.port), 15, "Redis")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


# --- the application -----------------------------------------------------------------------


class App:
    """The project with production settings: manage.py commands and a gunicorn server."""

    def __init__(
        self,
        database_url: str,
        redis_url: str,
        *,
        port: int | None = None,
        workers: int = 2,
        threads: int = 8,
        env: dict | None = None,
    ):
        self.port = port or free_port()
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="sd-bench-gunicorn-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "smartdialog.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "False",
            "ALLOWED_HOSTS": LOOPBACK,
            "SECURE_COOKIES": "False",  # plain HTTP on loopback
            "STATIC_MANIFEST": "False",
            "LOG_LEVEL": "ERROR",
            **(env or {}),
        }
        for name in ("CELERY_BROKER_URL", "EMAIL_HOST"):
            self.env.pop(name, None)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def manage(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def setup_django(self):
        """Configure Django in this process with the same settings (for preparing data)."""
        os.environ.update({k: v for k, v in self.env.items() if k != "PYTHONPATH"})
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()

    def start(self, timeout: float = 60) -> "App":
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "smartdialog.wsgi", "--bind", f"{LOOPBACK}:{self.port}",
             "--workers", str(self.workers), "--worker-class", "gthread",
             "--threads", str(self.threads), "--timeout", "30", "--graceful-timeout", "5",
             "--keep-alive", "30", "--backlog", "2048", "--log-level", "warning"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_for(self._healthy, timeout, "gunicorn")
        wait_for(lambda: len(self.worker_pids()) == self.workers, timeout, "gunicorn workers")
        return self

    def _healthy(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {self.log}")
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill_worker(self) -> int:
        """kill -9 one worker (gunicorn's master starts a new one); its pid."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.process = None


class Stack:
    """PostgreSQL + Redis + the app (migrated, not yet serving), stopped on exit."""

    def __init__(
        self,
        *,
        workers: int = 2,
        threads: int = 8,
        env: dict | None = None,
        max_seconds: float = 1800,
        migrate: bool = True,
    ):
        self.max_seconds = max_seconds
        self.postgres = Postgres()
        self.redis = Redis()
        self.app = App(self.postgres.url, self.redis.url, workers=workers, threads=threads, env=env)
        self.migrate = migrate

    def __enter__(self) -> "Stack":
        def stop_now(signum, _frame):
            raise SystemExit(f"stopped by signal {signum} (deadline {self.max_seconds:.0f} s)")

        signal.signal(signal.SIGTERM, stop_now)
        signal.signal(signal.SIGALRM, stop_now)
        signal.alarm(int(self.max_seconds))
        try:
            self.postgres.start()
            self.redis.start()
            if self.migrate:
                self.app.manage("migrate", "--noinput")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each part: gunicorn (master and workers),
        PostgreSQL (the postmaster, its live children and the ones it reaped), Redis and this
        process (the load client). Differences between two readings give a phase's cost."""
        app = [self.app.process.pid, *self.app.worker_pids()] if self.app.process else []
        postmaster = self.postgres.postmaster_pid()
        postgres = [postmaster, *children(postmaster)] if postmaster else []
        times = os.times()
        return {
            "app": sum(process_cpu(pid) for pid in app),
            "postgres": sum(process_cpu(pid, reaped=pid == postmaster) for pid in postgres),
            "redis": process_cpu(self.redis.process.pid) if self.redis.process else 0.0,
            "client": times.user + times.system,
        }

    def __exit__(self, *exc):
        signal.alarm(0)
        self.app.stop()
        self.redis.stop()
        self.postgres.stop()
        return False


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def process_cpu(pid: int, *, reaped: bool = False) -> float:
    """Seconds of CPU a live process used (with `reaped`, also its exited children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


# --- the load client -----------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    tag: object = None  # anything the caller needs to match the answer


@dataclass
class Answer:
    request: Request
    status: int  # 0 when the client got no answer (timeout, connection refused/reset)
    latency: float  # seconds
    headers: dict
    body: str
    error: str = ""
    sent: float = 0.0  # time.monotonic() when the request went out


@dataclass
class LoadResult:
    connections: int
    elapsed: float
    answers: list[Answer]
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per part, if measured

    @property
    def statuses(self) -> Counter:
        return Counter(a.status for a in self.answers)

    def latencies(self, status: int | None = None) -> list[float]:
        return sorted(a.latency for a in self.answers if status is None or a.status == status)

    @property
    def throughput(self) -> float:
        return len(self.answers) / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float, status: int | None = None) -> float:
        values = self.latencies(status)
        if not values:
            return float("nan")
        index = min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))
        return values[index]

    def summary(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{len(self.answers)} requests in {self.elapsed:.1f} s over {self.connections} "
            f"connections = {self.throughput:.0f}/s; p50 {self.percentile(50) * 1000:.1f} ms, "
            f"p95 {self.percentile(95) * 1000:.1f} ms, p99 {self.percentile(99) * 1000:.1f} ms; "
            f"statuses {{{statuses}}}"
        )


async def load(
    base_url: str,
    next_request: Callable[[int], Request | None],
    *,
    connections: int,
    duration: float | None = None,
    timeout: float = 10.0,
    keep_body: Callable[[Answer], bool] | None = None,
    rate: float | None = None,
) -> LoadResult:
    """Closed loop: each of `connections` sends `next_request(connection number)` as soon as
    its previous answer arrived, until `duration` seconds pass or it returns None. With
    `rate` an open loop instead: requests fall due at `rate` per second whatever the answers
    do, each sent by whichever connection is free, and a latency counts from when the
    request fell due (waiting for a free connection included: no coordinated omission).
    Redirects are not followed (a 302 is an answer). Bodies are kept only where
    `keep_body` says so."""
    import aiohttp

    if not base_url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("the load client only talks to 127.0.0.1")
    if rate is not None and not (duration and rate > 0):
        raise ValueError("an open loop needs a positive rate and a duration")
    answers: list[Answer] = []
    started = time.monotonic()
    stop_at = started + duration if duration else None
    due_numbers = itertools.count()
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    client_timeout = aiohttp.ClientTimeout(total=timeout)

    async def worker(number: int, session):
        while True:
            due = time.monotonic()
            if rate is not None:
                due = started + next(due_numbers) / rate
                if due >= stop_at:
                    return
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            elif stop_at is not None and due >= stop_at:
                return
            request = next_request(number)
            if request is None:
                return
            sent = time.monotonic()
            if rate is None:
                due = sent
            try:
                async with session.request(
                    request.method,
                    base_url + request.path,
                    data=request.data,
                    headers=request.headers,
                    allow_redirects=False,
                ) as response:
                    body = await response.text()
                    answer = Answer(
                        request, response.status, time.monotonic() - due,
                        dict(response.headers), body, sent=sent,
                    )  # fmt: skip
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                answer = Answer(
                    request, 0, time.monotonic() - due, {}, "", type(error).__name__, sent
                )
                await asyncio.sleep(0.05)  # a refused connection must not spin
            if not (keep_body and keep_body(answer)):
                answer.body = ""
            answers.append(answer)

    async with aiohttp.ClientSession(
        connector=connector, timeout=client_timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        await asyncio.gather(*(worker(n, session) for n in range(connections)))
    return LoadResult(connections, time.monotonic() - started, answers)
