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


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A private redis-server on a free port as the cache alias "redis" (django-redis) and the
    rate-limit cache, as in production (skipped without a redis-server binary)."""
    import shutil
    import socket
    import subprocess
    import time

    from django.core.cache import caches

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    try:
        settings.CACHES = settings.CACHES | {
            "redis": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        settings.VOTE_RATE_LIMIT_CACHE = "redis"
        cache = caches["redis"]
        for _attempt in range(50):
            try:
                cache.client.get_client().ping()
                break
            except Exception:
                time.sleep(0.05)
        yield cache
    finally:
        server.terminate()
        server.wait(timeout=10)
