"""`make test`: find a PostgreSQL and a Chromium, then run ruff and the whole pytest suite.

PostgreSQL, in this order: $DATABASE_URL; the server at 127.0.0.1:5432; a throwaway
cluster started from the system's PostgreSQL binaries (installed with apt-get if missing
and we are root). Chromium: $CHROMIUM_PATH or /usr/bin/chromium (Debian's package). When
either cannot be had the run fails and says why: those tests are never skipped silently.
"""

import atexit
import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def fail(message: str) -> None:
    print(f"make test: {message}", file=sys.stderr)
    sys.exit(2)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    for name in ("initdb",):
        found = shutil.which(name)
        if found:
            return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def apt_install(*packages: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    result = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=False)
    return result.returncode == 0


def throwaway_cluster() -> str:
    bindir = postgres_bin()
    if bindir is None and apt_install("postgresql"):
        bindir = postgres_bin()
    if bindir is None:
        fail(
            "no PostgreSQL: set DATABASE_URL, start a server on 127.0.0.1:5432, "
            "or install the PostgreSQL server binaries (apt-get install postgresql)"
        )
    datadir = Path(tempfile.mkdtemp(prefix="smartdialog-pg-"))
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(datadir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_user,
            bindir / "initdb",
            "-D",
            datadir / "data",
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *as_user,
            bindir / "pg_ctl",
            "-D",
            datadir / "data",
            "-w",
            "-l",
            datadir / "log",
            "-o",
            f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def stop():
        subprocess.run(
            [*as_user, bindir / "pg_ctl", "-D", datadir / "data", "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(datadir, ignore_errors=True)

    atexit.register(stop)
    print(f"make test: started a throwaway PostgreSQL cluster on port {port}")
    return f"postgres://postgres@127.0.0.1:{port}/smartdialog"


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if reachable("127.0.0.1", 5432):
        # One database name per checkout, so two checkouts can test side by side.
        suffix = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
        return f"postgres://postgres@127.0.0.1:5432/smartdialog_{suffix}"
    return throwaway_cluster()


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(path).exists() and os.environ.get("CI") and apt_install("chromium"):
        pass
    if not Path(path).exists():
        fail(
            f"no Chromium at {path}: install Debian's package (apt-get install chromium) "
            "or set CHROMIUM_PATH; the browser tests need it"
        )
    return path


def main() -> int:
    os.chdir(ROOT)
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        if subprocess.run([VENV_BIN / command[0], *command[1:]]).returncode != 0:
            fail(f"{' '.join(command)} found problems")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CHROMIUM_PATH": chromium(),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "tests-only-secret-key"),
        "DEBUG": "False",
        "SECURE_COOKIES": "False",
        "STATIC_MANIFEST": "False",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",  # Playwright's sync API runs an event loop
        "REQUIRE_POSTGRES": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    print(f"make test: PostgreSQL at {env['DATABASE_URL']}, Chromium at {env['CHROMIUM_PATH']}")
    started = time.monotonic()
    code = subprocess.run([VENV_BIN / "python", "-m", "pytest", *sys.argv[1:]], env=env).returncode
    print(f"make test: pytest finished in {time.monotonic() - started:.1f} s with exit code {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
