"""The sealed log on PostgreSQL: batches chain, tampering shows, votes are append-only."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from smartdialog.voting.models import SealedBatch, Vote
from smartdialog.voting.sealing import batch_hash, genesis, seal, seal_pending, verify_chain
from smartdialog.voting.services import cast

from .conftest import make_voter, sections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _vote_everyone(ballot, n):
    (health, (first, second)), (education, (third, _)) = sections(ballot)
    for i in range(n):
        cast(
            make_voter(), ballot, {health.pk: [(first, second)[i % 2].pk], education.pk: [third.pk]}
        )


def test_sealing_chains_batches_and_verifies(ballot):
    _vote_everyone(ballot, 5)
    first = seal(ballot, limit=4)
    second = seal(ballot, limit=4)
    third = seal(ballot, limit=4)
    assert seal(ballot) is None
    assert [first.votes, second.votes, third.votes] == [4, 4, 2]
    assert first.previous_hash == genesis(ballot.pk)
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert not Vote.objects.filter(batch__isnull=True).exists()
    assert verify_chain(ballot) == []


def test_batch_hash_is_sha256_of_previous_hash_and_lines(ballot):
    _vote_everyone(ballot, 1)
    batch = seal(ballot)
    lines = []
    for v in Vote.objects.filter(batch=batch).order_by("id").select_related("voter", "region"):
        cast_at = v.cast_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        lines.append(
            f"{v.receipt};{v.voter.pseudonym};{v.entry_id};{v.section_id};{v.region.code};{cast_at}"
        )
    assert batch.hash == batch_hash(genesis(ballot.pk), lines)


def test_seal_pending_seals_all_ballots(ballot):
    _vote_everyone(ballot, 3)
    assert seal_pending(limit=2) == 3
    assert SealedBatch.objects.filter(ballot=ballot).count() == 3


def test_tampered_vote_row_is_reported_by_its_batch(ballot):
    _vote_everyone(ballot, 4)
    seal(ballot, limit=4)
    second = seal(ballot, limit=4)
    victim = Vote.objects.filter(batch=second).order_by("id").first()
    (_health, (first, other)), _education = sections(ballot)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred FK checks pending
        cursor.execute("ALTER TABLE voting_vote DISABLE TRIGGER ALL")
        try:
            cursor.execute(
                "UPDATE voting_vote SET entry_id = %s WHERE id = %s",
                [other.pk if victim.entry_id == first.pk else first.pk, victim.pk],
            )
        finally:
            cursor.execute("ALTER TABLE voting_vote ENABLE TRIGGER ALL")
    problems = verify_chain(ballot)
    assert problems == ["Batch 2: its votes no longer give its hash."]


def test_the_database_refuses_to_change_or_delete_a_vote(ballot):
    _vote_everyone(ballot, 1)
    vote = Vote.objects.first()
    (_health, (first, other)), _education = sections(ballot)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(entry=other if vote.entry_id == first.pk else first)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).delete()
    batch = seal(ballot)  # setting batch_id once is allowed
    assert Vote.objects.get(pk=vote.pk).batch_id == batch.pk
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(batch=None)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Vote.objects.filter(pk=vote.pk, batch__isnull=True).update(batch=batch)  # no row: ok
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE voting_vote SET batch_id = %s, ip = '10.0.0.9' WHERE id = %s",
                [batch.pk, vote.pk],
            )
