"""A closed, sealed and published vote: two sections, four practices, five voters."""

import datetime

import pytest
from django.utils import timezone, translation

from smartdialog.results import services as results
from smartdialog.voting import sealing, services
from smartdialog.voting.models import Ballot
from tests.voting.core.conftest import make_ballot, make_voter

VOTER_IP = "203.0.113.77"
VOTER_AGENT = "SecretBrowser/9.9"


def cast_votes(ballot, plan):
    """`plan`: [(region code, entry index in section 1, entry index in section 2)]."""
    sections = list(ballot.sections.order_by("order"))
    entries = [list(s.entries.order_by("order")) for s in sections]
    voters = []
    for region, first, second in plan:
        voter = make_voter(region)
        services.cast(
            voter,
            ballot,
            {sections[0].pk: [entries[0][first].pk], sections[1].pk: [entries[1][second].pk]},
            ip=VOTER_IP,
            user_agent=VOTER_AGENT,
        )
        voters.append(voter)
    return voters


@pytest.fixture
def ballot(edition):
    now = timezone.now()
    ballot = make_ballot(edition, opens_at=now - datetime.timedelta(days=2))
    return ballot


@pytest.fixture
def voted(ballot):
    voters = cast_votes(
        ballot, [("77", 0, 1), ("77", 0, 0), ("78", 1, 1), ("50", 0, 1), ("78", 0, 1)]
    )
    sealing.seal(ballot, limit=4)
    sealing.seal(ballot)
    return voters


@pytest.fixture
def published(edition, ballot, voted, organiser):
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    results.publish(edition, by=organiser)
    return edition


@pytest.fixture(autouse=True)
def _english():
    """Messages of calls made in the test itself are asserted on their English msgids.

    Pages are not: the test client sends no language, so LocaleMiddleware answers in the
    site's Russian and leaves Russian active in this thread after the first request. Page
    tests assert the Russian text the user sees, or set the `django_language` cookie.
    """
    with translation.override("en"):
        yield
