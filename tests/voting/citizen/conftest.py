"""An open ballot of two sections (two practices each), an empty SMS outbox, a fresh cache."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from smartdialog.submissions.models import SubmissionVersion
from smartdialog.submissions.passport import snapshot
from smartdialog.voting import sms
from smartdialog.voting.models import Ballot, BallotEntry, BallotSection
from tests.factories import make_edition
from tests.reviews.conftest import make_admitted

DAY = datetime.timedelta(days=1)
PHONE = "+79001234567"
SECTIONS = {
    "Здравоохранение": ["Поликлиника без очередей", "Врач рядом"],
    "Образование": ["Школа у дома", "Учитель онлайн"],
}


@pytest.fixture(autouse=True)
def _fresh_state():
    """Rate-limit counters and the cached ballot live in the cache; SMS in a module list."""
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


def make_ballot(edition=None, *, opens=-DAY, closes=DAY, choices_per_section=1, versions=True):
    """A ballot built directly (sections and entries for admitted applications)."""
    now = timezone.now()
    edition = edition or make_edition(now.year)
    ballot = Ballot.objects.create(
        edition=edition,
        opens_at=now + opens,
        closes_at=now + closes,
        choices_per_section=choices_per_section,
    )
    for order, (title, practices) in enumerate(SECTIONS.items(), start=1):
        section = BallotSection.objects.create(ballot=ballot, title=title, order=order)
        for position, practice in enumerate(practices, start=1):
            submission = make_admitted(edition, title=practice, region_code="77")
            submission.solution = f"Решение «{practice}»: " + "подробно " * 60
            submission.save(update_fields=["solution"])
            if versions:
                SubmissionVersion.objects.create(
                    submission=submission,
                    number=1,
                    created_by=submission.created_by,
                    data=snapshot(submission),
                )
            BallotEntry.objects.create(section=section, submission=submission, order=position)
    return ballot


@pytest.fixture
def ballot(db):
    return make_ballot()


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
