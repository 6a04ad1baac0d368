"""The sealed log: votes chained into batches by hash, built after the votes, never during.

Each sealed vote is one canonical line

    receipt;pseudonym;entry_id;section_id;region_code;cast_at

(`cast_at` in UTC, ISO 8601 with microseconds and `Z`). A batch holds the next unsealed votes
in id order; its hash is `sha256(previous_hash + "\\n".join(lines))` (UTF-8, hex). The first
batch's previous hash (the genesis) is `sha256(str(ballot.id))`, so a chain belongs to one
ballot. Inside a batch the lines are in vote id order; batches follow their numbers. A vote
committed late (a lower id than votes already sealed) simply goes into a later batch.

Sealers take the ballot row FOR NO KEY UPDATE: two sealers of one ballot wait for each other,
while casts (which only take FOR KEY SHARE through their foreign key) never wait for a sealer.
"""

import datetime
import hashlib

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Func, Q
from django.utils.translation import gettext as _

from .models import Ballot, SealedBatch, Vote

HEADER = "receipt;pseudonym;entry_id;section_id;region_code;cast_at"
BATCH_HEADER = "ballot;number;previous_hash;hash;votes;sealed_at"
LINE_FIELDS = ("receipt", "voter__pseudonym", "entry_id", "section_id", "region__code", "cast_at")


# `iso` in SQL (PostgreSQL): the same text, YYYY-MM-DDTHH:MM:SS.ffffffZ in UTC.
ISO_UTC = Func(
    F("cast_at"),
    template="""to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    output_field=CharField(),
)


def genesis(ballot_id: int) -> str:
    return hashlib.sha256(str(ballot_id).encode()).hexdigest()


def iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def line(receipt, pseudonym, entry_id, section_id, region_code, cast_at) -> str:
    return f"{receipt};{pseudonym};{entry_id};{section_id};{region_code};{iso(cast_at)}"


def batch_hash(previous_hash: str, lines: list[str]) -> str:
    return hashlib.sha256((previous_hash + "\n".join(lines)).encode()).hexdigest()


def seal(ballot: Ballot, *, limit: int = 5000) -> SealedBatch | None:
    """Seal up to `limit` unsealed votes of the ballot into the next batch; None if none."""
    with transaction.atomic():
        Ballot.objects.select_for_update(no_key=True).filter(pk=ballot.pk).first()
        rows = list(
            Vote.objects.filter(ballot=ballot, batch__isnull=True)
            .order_by("id")
            .values_list("id", *LINE_FIELDS)[:limit]
        )
        if not rows:
            return None
        last = SealedBatch.objects.filter(ballot=ballot).order_by("-number").first()
        previous = last.hash if last else genesis(ballot.pk)
        lines = [line(*row[1:]) for row in rows]
        batch = SealedBatch.objects.create(
            ballot=ballot,
            number=(last.number + 1) if last else 1,
            previous_hash=previous,
            hash=batch_hash(previous, lines),
            votes=len(rows),
        )
        sealed = Vote.objects.filter(pk__in=[row[0] for row in rows], batch__isnull=True).update(
            batch=batch
        )
        if sealed != len(rows):  # cannot happen under the lock; never seal half a batch
            raise RuntimeError(f"sealing batch {batch.number}: {sealed} of {len(rows)} votes")
        return batch


def seal_pending(*, limit: int = 5000) -> int:
    """Seal every ballot's unsealed votes; returns how many batches were written."""
    written = 0
    ballot_ids = (
        Vote.objects.filter(batch__isnull=True).values_list("ballot_id", flat=True).distinct()
    )
    for ballot in Ballot.objects.filter(pk__in=list(ballot_ids)):
        while seal(ballot, limit=limit):
            written += 1
    return written


def sealed_lines(ballot: Ballot, *, upto: int | None = None):
    """(batch number, line) for every sealed vote, in log order, streamed from the database.

    On PostgreSQL the time cast comes already written as `iso` writes it: turning a million
    timestamps into datetimes only to format them again was most of a download's time.
    """
    votes = Vote.objects.filter(ballot=ballot, batch__isnull=False)
    if upto is not None:
        votes = votes.filter(batch__number__lte=upto)
    postgres = connection.vendor == "postgresql"
    if postgres:
        votes = votes.annotate(cast_iso=ISO_UTC)
    rows = votes.order_by("batch__number", "id").values_list(
        "batch__number", *LINE_FIELDS[:-1], "cast_iso" if postgres else "cast_at"
    )
    for number, *fields, cast_at in rows.iterator(chunk_size=5000):
        yield number, ";".join(map(str, [*fields, cast_at if postgres else iso(cast_at)]))


def verify_chain(ballot: Ballot) -> list[str]:
    """Recompute every batch from the votes; the problems found (empty: the chain holds)."""
    problems = []
    batches = list(SealedBatch.objects.filter(ballot=ballot).order_by("number"))
    lines_by_batch: dict[int, list[str]] = {}
    for number, text in sealed_lines(ballot):
        lines_by_batch.setdefault(number, []).append(text)
    previous = genesis(ballot.pk)
    for expected, batch in enumerate(batches, start=1):
        if batch.number != expected:
            problems.append(
                _("Batch %(n)s is missing: the next one is %(m)s.")
                % {"n": expected, "m": batch.number}
            )
        if batch.previous_hash != previous:
            problems.append(
                _("Batch %(n)s does not link to the batch before it.") % {"n": batch.number}
            )
        lines = lines_by_batch.pop(batch.number, [])
        if len(lines) != batch.votes:
            problems.append(
                _("Batch %(n)s was sealed with %(sealed)s votes; %(now)s are there now.")
                % {"n": batch.number, "sealed": batch.votes, "now": len(lines)}
            )
        if batch_hash(batch.previous_hash, lines) != batch.hash:
            problems.append(
                _("Batch %(n)s: its votes no longer give its hash.") % {"n": batch.number}
            )
        previous = batch.hash
    return problems


def head(ballot: Ballot) -> dict:
    last = SealedBatch.objects.filter(ballot=ballot).order_by("-number").first()
    counts = Vote.objects.filter(ballot=ballot).aggregate(
        total=Count("id"), unsealed=Count("id", filter=Q(batch__isnull=True))
    )
    return {
        "batch": last,
        "genesis": genesis(ballot.pk),
        "sealed": counts["total"] - counts["unsealed"],
        "unsealed": counts["unsealed"],
    }
