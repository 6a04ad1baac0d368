"""Writing the planned demo vote: the ballot through the service, the rows in bulk, the seals.

The ballot is configured by `services.configure_ballot`, as an organiser would. Voters,
their codes and their votes are then written with `bulk_create` rather than through
`identity.verify_code` and `services.cast`: those are the real path (tested in
tests/voting) but take several queries per voter, and `make run` on SQLite has to write
≈30 000 voters in seconds; they would also stamp today's date, while the demo's rows
belong to November–December 2023. The rows are the ones `cast` would write: one `Vote` per
choice with slot 1, the voter's region as cast, a receipt from `services.new_receipt`.
Votes are written in the order they were cast and sealed with `sealing.seal`, one batch per
Moscow day of the vote, so `manage.py recount` verifies the chain.
"""

import contextlib
import datetime
import time

from django.db import transaction

from smartdialog.reference.models import Region

from .. import sealing, services
from ..identity import _code_hash, code_ttl
from ..models import Ballot, BallotEntry, SealedBatch, VerificationCode, Vote, Voter
from . import data
from .plan import plan_vote

BATCH = 2000
SEAL_DELAY = datetime.timedelta(seconds=5)  # between a day's last vote and its batch's seal
REASON = "Демонстрационное голосование 2023 года (seed_vote)"


@contextlib.contextmanager
def backdated(*fields):
    """Let `bulk_create` keep the given `auto_now_add` times: the demo's rows were created
    in 2023, not today. Only for a one-off management command (the flags are global)."""
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def _entries(ballot) -> dict[str, tuple[int, int]]:
    """Nomination code → (entry id, section id) on the ballot."""
    rows = BallotEntry.objects.filter(section__ballot=ballot).values_list(
        "submission__nomination__code", "pk", "section_id"
    )
    entries = {code: (pk, section) for code, pk, section in rows}
    missing = sorted(set(data.VOTES) - set(entries))
    if missing:
        raise ValueError(f"nominations {', '.join(missing)} have no practice on the ballot")
    return entries


def _write(ballot, planned, regions):
    entries = _entries(ballot)
    voters = Voter.objects.bulk_create(
        (
            Voter(
                phone=p.phone,
                region_id=regions[p.region],
                created_at=p.verified_at,
                verified_at=p.verified_at,
            )
            for p in planned
        ),
        batch_size=BATCH,
    )
    ttl = code_ttl()
    VerificationCode.objects.bulk_create(
        (
            VerificationCode(
                channel=VerificationCode.Channel.SMS,
                destination=p.phone,
                code_hash=_code_hash(p.phone, p.code),
                created_at=p.code_at,
                expires_at=p.code_at + ttl,
                used_at=p.verified_at,
                ip=p.ip,
            )
            for p in planned
        ),
        batch_size=BATCH,
    )
    Vote.objects.bulk_create(
        (
            Vote(
                ballot=ballot,
                section_id=entries[practice][1],
                entry_id=entries[practice][0],
                voter_id=voter.pk,
                slot=1,
                region_id=voter.region_id,
                cast_at=p.cast_at,
                receipt=services.new_receipt(),
                ip=p.ip,
                user_agent=p.user_agent,
            )
            for p, voter in zip(planned, voters, strict=True)
            for practice in p.choices
        ),
        batch_size=BATCH,
    )


def _seal_by_day(ballot, planned):
    """One batch per Moscow day, in the order the votes were cast, stamped just after the
    day's last vote."""
    days: dict = {}
    for p in planned:
        day = days.setdefault(p.cast_at.astimezone(data.MOSCOW).date(), [0, p.cast_at])
        day[0] += len(p.choices)
        day[1] = max(day[1], p.cast_at)
    for votes, last in days.values():
        batch = sealing.seal(ballot, limit=votes)
        SealedBatch.objects.filter(pk=batch.pk).update(sealed_at=last + SEAL_DELAY)


def generate_vote(edition, *, seed: int = 1, scale: float = 1.0) -> dict:
    """Configure the edition's ballot and fill it with the planned vote, unless it already
    has votes. Returns what there is: ballot, voters, votes, batches, created, seconds."""
    started = time.monotonic()
    ballot = Ballot.objects.filter(edition=edition).first()
    created = ballot is None or not ballot.votes.exists()
    if created:
        districts = dict(Region.objects.values_list("code", "federal_district__code"))
        planned = plan_vote(districts, seed=seed, scale=scale)
        regions = dict(Region.objects.values_list("code", "pk"))
        with transaction.atomic():
            ballot = services.configure_ballot(
                edition, opens_at=data.OPENS_AT, closes_at=data.CLOSES_AT, by=None, reason=REASON
            )
            with backdated(
                Voter._meta.get_field("created_at"),
                VerificationCode._meta.get_field("created_at"),
            ):
                _write(ballot, planned, regions)
            _seal_by_day(ballot, planned)
    votes = Vote.objects.filter(ballot=ballot)
    return {
        "ballot": ballot,
        "created": created,
        "voters": votes.values("voter").distinct().count(),
        "votes": votes.count(),
        "batches": ballot.batches.count(),
        "seconds": round(time.monotonic() - started, 1),
    }
