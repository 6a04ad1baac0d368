"""A closed vote in two directions (two practices each) and helpers to add votes by hand."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from smartdialog.voting.models import Vote
from smartdialog.voting.services import new_receipt
from tests.voting.core.conftest import make_ballot, make_voter, sections

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures and pages are cached: each test starts without another test's entries."""
    cache.clear()
    yield
    cache.clear()


def put(entry, region="77", *, at=None, voter=None) -> Vote:
    """One vote for `entry` by a new voter from `region`, cast at `at` (default: now).

    Written directly rather than through `voting.services.cast`, which stamps the real time:
    figures by hour need votes at chosen times. The row is what `cast` would insert.
    """
    voter = voter or make_voter(region)
    return Vote.objects.create(
        ballot=entry.section.ballot,
        section=entry.section,
        entry=entry,
        voter=voter,
        slot=1,
        region_id=voter.region_id,
        receipt=new_receipt(),
        cast_at=at or timezone.now(),
    )


def put_many(entry, counts: dict[str, int]) -> None:
    for region, n in counts.items():
        for _ in range(n):
            put(entry, region)


@pytest.fixture
def closed_ballot(edition):
    now = timezone.now()
    return make_ballot(edition, opens_at=now - 10 * DAY, closes_at=now - DAY)


@pytest.fixture
def entries(closed_ballot):
    """(health first, health second, education first, education second)."""
    (_h, (h1, h2)), (_e, (e1, e2)) = sections(closed_ballot)
    return h1, h2, e1, e2
