"""Fault scripts for the vote, over HTTP against the production stack (`stack.py`).

Each scenario prints PASS/FAIL with its numbers; the exit status is 1 if any failed.

- `storm`: 200 concurrent confirms by ONE voter in one section, each from its own session
  (a bot logged in 200 times) and its own address → exactly 1 row and 1 acknowledgement;
  199 clear refusals: the page saying "already voted" with the receipt of the one vote that
  counts, or the rate limiter's 429 with Retry-After (the voter's own limit, 10 per hour).
- `kill`: the full vote path under load (64 connections), and kill -9 of a gunicorn worker
  in the middle → every acknowledged vote (302 to the receipts) has its rows afterwards;
  the master starts a new worker and votes are acknowledged again after the kill.
- `restart`: the full vote path under load, and an immediate (crash-like) restart of the
  throwaway PostgreSQL cluster in the middle → while it is down clients get 503 with
  Retry-After (no 500), every acknowledged vote is kept, votes are acknowledged again after;
  then `seal_votes`, `sealing.verify_chain` and `manage.py recount` on the downloaded public
  log all pass.

Run from the repository root (loopback only, stops by itself, about 2 minutes):

    .venv/bin/python bench/vote_faults.py                 # all three
    .venv/bin/python bench/vote_faults.py storm kill      # some of them
    .venv/bin/python bench/vote_faults.py --write         # and put the results in docs
"""

import argparse
import asyncio
import datetime
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import PYTHON, ROOT, Stack, load, machine, write_report
from vote_setup import (
    APP_ENV,
    SECTIONS_PER_CAST,
    Voters,
    acknowledged,
    confirm_request,
    open_ballot,
    voter_ids,
)

START, END = "<!-- bench/vote_faults.py: start -->", "<!-- bench/vote_faults.py: end -->"
STORM = 200
LOAD_SECONDS = 20
FAULT_AT = 6  # seconds into the load
CONNECTIONS = 64


def run_load(stack, voters, seconds, connections=CONNECTIONS, fault=None):
    """Full-path load for `seconds`; `fault()` runs in a thread FAULT_AT seconds in."""
    outcome = {}

    def later():
        time.sleep(FAULT_AT)
        outcome["fault"] = fault()
        outcome["done"] = time.monotonic()

    thread = threading.Thread(target=later, daemon=True) if fault else None
    started = time.monotonic()
    if thread:
        thread.start()

    def supply(_n):
        voter = voters.take()
        return confirm_request(voter) if voter else None

    result = asyncio.run(
        load(stack.app.url, supply, connections=connections, duration=seconds, timeout=30)
    )
    if thread:
        thread.join(60)
    outcome["started"] = started
    return result, outcome


def kept(stack, answers) -> tuple[int, list[int], int]:
    """(acknowledged votes, voter ids of acknowledged votes without their rows, rows of all
    the voters who sent a request in this load)."""
    rows = voter_ids(stack.postgres)
    acked = [a.request.tag.id for a in answers if acknowledged(a)]
    sent = {a.request.tag.id for a in answers}
    return (
        len(acked),
        [v for v in acked if rows.get(v, 0) != SECTIONS_PER_CAST],
        sum(rows.get(v, 0) for v in sent),
    )


# --- scenarios -----------------------------------------------------------------------------


def storm(stack, ballot, voters) -> dict:
    from django.contrib.sessions.backends.cache import SessionStore

    from smartdialog.voting import confirmation
    from smartdialog.voting.identity import SESSION_KEY
    from smartdialog.voting.views.citizen import CHOICES_KEY

    victim = voters.take()
    section, entry = victim.picks[0]
    choices = {str(section): [entry]}
    requests = []
    for i in range(STORM):
        store = SessionStore()
        store[SESSION_KEY] = victim.id
        store[CHOICES_KEY] = {"ballot": ballot.pk, "choices": choices}
        store.create()
        request = confirm_request(victim)
        request.data["confirmation"] = confirmation.issue(
            store.session_key, victim.id, ballot.pk, choices
        )
        request.headers["Cookie"] = f"sessionid={store.session_key}; csrftoken={victim.csrf_secret}"
        request.headers["X-Forwarded-For"] = f"10.250.{i}.7"
        requests.append(request)
    queue = iter(requests)
    result = asyncio.run(
        load(
            stack.app.url,
            lambda _n: next(queue, None),
            connections=STORM,
            timeout=30,
            keep_body=lambda a: True,
        )
    )
    from smartdialog.voting.models import Vote

    rows = list(Vote.objects.filter(voter_id=victim.id).values_list("receipt", flat=True))
    acks = [a for a in result.answers if acknowledged(a)]
    kinds = {"already voted": 0, "captcha": 0, "429": 0, "other": 0}
    for answer in result.answers:
        if answer in acks:
            continue
        kinds[refusal(answer, rows[0] if rows else None)] += 1
    refused = kinds["already voted"] + kinds["captcha"] + kinds["429"]
    ok = len(rows) == 1 and len(acks) == 1 and refused == STORM - 1
    return {
        "ok": ok,
        "text": (
            f"{STORM} concurrent confirms by one voter in one section ({STORM} sessions): "
            f"rows {len(rows)}, acknowledged {len(acks)}, refused {refused} "
            f"({kinds['already voted']} «already voted» pages naming the receipt of the counted "
            f"vote, {kinds['captcha']} pages asking for the captcha (the voter's limit is "
            f"near), {kinds['429']} × 429 with Retry-After), other answers {kinds['other']}; "
            f"p99 {result.percentile(99) * 1000:.0f} ms"
        ),
    }


def refusal(answer, receipt) -> str:
    """What kind of clear refusal an answer to a confirm is ("other" if none)."""
    if answer.status == 429 and answer.headers.get("Retry-After"):
        return "429"
    if answer.status == 200 and receipt and receipt in answer.body:
        return "already voted"
    if answer.status == 200 and 'name="captcha_1"' in answer.body:
        return "captcha"
    print("storm, other answer:", answer.status, answer.error, answer.body[:2000])
    return "other"


def kill(stack, _ballot, voters) -> dict:
    before = stack.app.worker_pids()
    result, outcome = run_load(stack, voters, LOAD_SECONDS, fault=stack.app.kill_worker)
    after = stack.app.worker_pids()
    acked, missing, rows = kept(stack, result.answers)
    acked_after = sum(1 for a in result.answers if acknowledged(a) and a.sent > outcome["done"])
    dropped = sum(1 for a in result.answers if a.status == 0)
    statuses = dict(sorted(result.statuses.items()))
    ok = not missing and len(after) == len(before) and outcome["fault"] not in after
    ok = ok and acked_after > 0 and all(s in (0, 302) for s in statuses)
    return {
        "ok": ok,
        "text": (
            f"kill -9 of worker {outcome['fault']} after {FAULT_AT} s of {LOAD_SECONDS} s at "
            f"{CONNECTIONS} connections: answers {statuses} (0 = connection reset: the "
            f"{dropped} requests the killed worker held); acknowledged {acked:,}, rows of this "
            f"load's voters "
            f"{rows:,} (≥ 3 × acknowledged: a vote committed just before the kill may have "
            f"lost its answer), acknowledged votes missing: {len(missing)}, acknowledged after "
            f"the kill {acked_after:,}; workers "
            f"{before} → {after}"
        ),
    }


def restart(stack, ballot, voters) -> dict:
    result, outcome = run_load(
        stack, voters, LOAD_SECONDS, fault=lambda: stack.postgres.restart("immediate")
    )
    acked, missing, rows = kept(stack, result.answers)
    statuses = dict(sorted(result.statuses.items()))
    unavailable = [a for a in result.answers if a.status == 503]
    with_retry = sum(1 for a in unavailable if a.headers.get("Retry-After"))
    after = sum(1 for a in result.answers if acknowledged(a) and a.sent > outcome["done"])
    seal, chain, recount = verify(stack, ballot)
    ok = (
        not missing
        and unavailable
        and with_retry == len(unavailable)
        and 500 not in statuses
        and after > 0
        and seal
        and not chain
        and recount[0] == 0
    )
    return {
        "ok": bool(ok),
        "text": (
            f"immediate restart of PostgreSQL after {FAULT_AT} s of {LOAD_SECONDS} s at "
            f"{CONNECTIONS} connections (down {outcome['fault']:.1f} s): answers {statuses}; "
            f"503 with Retry-After {with_retry} of {len(unavailable)}; acknowledged "
            f"{acked:,}, rows of this load's voters {rows:,}, acknowledged votes missing "
            f"{len(missing)}; acknowledged after the restart {after:,}; then {seal}; "
            f"verify_chain problems: {len(chain)}; "
            f"recount of the downloaded log: exit {recount[0]} ({recount[1]})"
        ),
    }


def verify(stack, ballot) -> tuple[str, list, tuple[int, str]]:
    """Seal everything, verify the chain, download the public log and recount it."""
    from django.db import connections

    from smartdialog.voting.models import SealedBatch, Vote
    from smartdialog.voting.sealing import verify_chain

    connections.close_all()  # this process's connection died with the restart
    stack.app.manage("seal_votes", "--limit", "5000")
    unsealed = Vote.objects.filter(ballot=ballot, batch__isnull=True).count()
    batches = SealedBatch.objects.filter(ballot=ballot).count()
    seal = f"seal_votes: {batches} batches, {unsealed} votes left unsealed"
    problems = verify_chain(ballot)
    workdir = Path(tempfile.mkdtemp(prefix="sd-recount-"))
    year = ballot.edition.year
    for name in ("votes.csv", "batches.csv"):
        url = f"{stack.app.url}/vote/log/{name}?year={year}&upto={batches}"
        with urllib.request.urlopen(url, timeout=120) as response:
            (workdir / name).write_bytes(response.read())
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "recount", "--log", str(workdir / "votes.csv"),
         "--batches", str(workdir / "batches.csv")],
        env=stack.app.env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    last = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
    return (seal if unsealed == 0 else ""), problems, (done.returncode, last)


SCENARIOS = {"storm": storm, "kill": kill, "restart": restart}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if set(args.scenarios) - set(SCENARIOS):
        parser.error(f"scenarios are {', '.join(SCENARIOS)}")
    chosen = args.scenarios or list(SCENARIOS)
    command = "bench/vote_faults.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    before = machine()
    date = datetime.datetime.now(datetime.UTC)
    started = time.monotonic()
    results = {}
    with Stack(workers=args.workers, threads=args.threads, env=APP_ENV, max_seconds=900) as stack:
        stack.app.setup_django()
        ballot = open_ballot()
        loads = len([n for n in chosen if n != "storm"])
        voters = Voters(ballot).create(1000 + loads * LOAD_SECONDS * 800)
        stack.app.start()
        for name in chosen:
            results[name] = SCENARIOS[name](stack, ballot, voters)
            mark = "PASS" if results[name]["ok"] else "FAIL"
            print(f"{mark} {name}: {results[name]['text']}", flush=True)
    report = render(command, date, before, time.monotonic() - started, results, args)
    print(report)
    if args.write:
        write(report)
    return 0 if all(r["ok"] for r in results.values()) else 1


def render(command, date, before, elapsed, results, args) -> str:
    m = machine()
    lines = [
        "### Vote fault scripts (`bench/vote_faults.py`)",
        "",
        f"- Date: {date:%Y-%m-%d %H:%M} UTC; run time {elapsed:.0f} s",
        f"- Machine: nproc {m['nproc']}, CPU {m['cpu']}, RAM {m['ram_gib']} GiB; load average "
        f"(1 min) {before['load']:.2f} before, {m['load']:.2f} after",
        f"- Command: `.venv/bin/python {command}`",
        f"- Stack: gunicorn {args.workers} gthread workers × {args.threads} threads, "
        "throwaway PostgreSQL 15 (fsync and synchronous_commit on), private Redis, DEBUG off; "
        "acknowledged = the confirm POST answered 302 to /vote/done/",
        "",
        "| scenario | result | figures |",
        "|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {'pass' if r['ok'] else '**FAIL**'} | {r['text']} |")
    return "\n".join(lines) + "\n"


def write(report: str) -> None:
    write_report(START, END, report)


if __name__ == "__main__":
    sys.exit(main())
