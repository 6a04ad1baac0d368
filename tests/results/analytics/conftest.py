"""Applications of the test edition at every step of the funnel, and a closed vote."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from smartdialog.reviews.models import Decision, Finalist, WorkingGroup
from smartdialog.submissions.models import Submission
from tests.reviews.conftest import make_admitted
from tests.voting.core.conftest import make_ballot, sections

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Vote figures are cached: each test starts without another test's entries."""
    cache.clear()
    yield
    cache.clear()


def application(edition, *, code="1.1", region="77", state="admitted", submitted=True):
    """An application put straight into `state` (submitted once unless `submitted` is
    False): the funnel reads states, it does not drive them."""
    submission = make_admitted(edition, code=code, region_code=region)
    Submission.objects.filter(pk=submission.pk).update(
        state=state, submitted_at=timezone.now() - DAY if submitted else None
    )
    return submission


def make_winner(edition, submission, organiser, *, confirmed=True):
    group = WorkingGroup.objects.create(edition=edition, title="Рабочая группа", quorum=1)
    return Decision.objects.create(
        working_group=group,
        nomination=submission.nomination,
        held_on=timezone.localdate(),
        winner=submission,
        finalists=[],
        preferences={},
        recorded_by=organiser,
        confirmed_by=organiser if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def funnel(edition, organiser):
    """Moscow: 3 submitted to 1.1 (2 admitted, 1 of them finalist and confirmed winner, 1
    rejected) and a draft; Tatarstan: 2 submitted to 1.2, both admitted, one a finalist
    whose working group's decision is not confirmed."""
    winner = application(edition)
    application(edition)
    application(edition, state="rejected")
    application(edition, state="draft", submitted=False)
    kazan = application(edition, code="1.2", region="16")
    application(edition, code="1.2", region="16")
    for submission in (winner, kazan):
        Finalist.objects.create(
            nomination=submission.nomination, submission=submission, rank=1, chosen_by=organiser
        )
    make_winner(edition, winner, organiser)
    make_winner(edition, kazan, organiser, confirmed=False)
    return edition


@pytest.fixture
def entries(edition):
    """A closed ballot: (health first, health second, education first, education second)."""
    now = timezone.now()
    ballot = make_ballot(edition, opens_at=now - 10 * DAY, closes_at=now - DAY)
    (_h, (h1, h2)), (_e, (e1, e2)) = sections(ballot)
    return h1, h2, e1, e2
