"""Duplicate storm: 200 concurrent casts by one voter in one section → one row."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from smartdialog.voting.models import Vote
from smartdialog.voting.services import cast

from .conftest import make_ballot, make_voter, sections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 200
WORKERS = 16


def test_duplicate_storm_keeps_exactly_one_vote(edition):
    ballot = make_ballot(edition)
    voter = make_voter()
    (health, entries), _education = sections(ballot)
    barrier = threading.Barrier(WORKERS)

    def attempt(i):
        try:
            if i < WORKERS:
                barrier.wait(timeout=30)
            # Alternate the entries so both unique constraints are raced.
            return cast(voter, ballot, {health.pk: [entries[i % 2].pk]})
        except ValidationError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    accepted = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(accepted) == 1
    assert len(refused) == ATTEMPTS - 1
    assert Vote.objects.filter(voter=voter).count() == 1
    receipt = Vote.objects.get(voter=voter).receipt
    assert all(e.error_list[0].code == "already_voted" for e in refused)
    assert all(receipt in " ".join(e.messages) for e in refused)
