"""The assignment run as a Celery task, with its state in the cache for the progress bar.

State per edition: queued → running → done (counts and the problems' messages) or failed.
Eager Celery (no broker) finishes before the page reloads; a worker may take longer.
"""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from smartdialog.contests.models import Edition

from . import services

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PROGRESS = {QUEUED: 10, RUNNING: 50, DONE: 100, FAILED: 100}
# A run that is never picked up (a dead worker) stops blocking new runs after this long.
PENDING_TIMEOUT = 15 * 60
RESULT_TIMEOUT = 24 * 60 * 60


def _key(edition_id: int) -> str:
    return f"reviews:assignment-run:{edition_id}"


def run_state(edition_id: int) -> dict | None:
    return cache.get(_key(edition_id))


def _set(edition_id: int, state: str, **data) -> dict:
    value = {"state": state, "progress": PROGRESS[state], "at": timezone.now().isoformat()}
    value.update(data)
    timeout = RESULT_TIMEOUT if state in (DONE, FAILED) else PENDING_TIMEOUT
    cache.set(_key(edition_id), value, timeout)
    return value


def start_assignment(edition, *, by) -> bool:
    """Queue a run unless one is already queued or running; False when refused."""
    current = run_state(edition.pk)
    if current and current["state"] in (QUEUED, RUNNING):
        return False
    _set(edition.pk, QUEUED, by=by.email)
    run_assignment.delay(edition.pk, by.pk)
    return True


@shared_task
def run_assignment(edition_id: int, user_id: int) -> dict:
    _set(edition_id, RUNNING)
    try:
        edition = Edition.objects.get(pk=edition_id)
        by = get_user_model().objects.get(pk=user_id)
        result = services.run_assignment(edition, by=by)
    except Exception as error:  # the page must stop polling and say so
        log.exception("assignment run failed for edition %s", edition_id)
        return _set(edition_id, FAILED, error=str(error))
    return _set(
        edition_id,
        DONE,
        new=len(result.pairs),
        experts=len(result.loads),
        applications=len({a for a, _e in result.pairs}),
        problems=[p.message for p in result.problems],
    )
