"""Overload and database outages answered at once with 503 and Retry-After, never a 500.

Two cases, one middleware (`OverloadMiddleware`, early in MIDDLEWARE):

- **Load shedding.** With `OVERLOAD_MAX_IN_FLIGHT` = N > 0, at most N requests per process
  run the application at a time; a request that cannot get a place within
  `OVERLOAD_QUEUE_MS` is answered 503 with Retry-After before it touches the session or the
  database. Under gunicorn's gthread workers run more threads than N, so the extra threads
  are what waits here, and a flood gets a quick, cheap refusal instead of growing queues and
  timeouts. `/healthz` is never shed.
- **Database outage.** An `OperationalError` or `InterfaceError` (server down, restarting,
  connection lost) raised by a view becomes a 503 with Retry-After and a message asking to
  try again. A vote is acknowledged (302 to the receipts) only after `services.cast` has
  committed, so a citizen who gets this page has no receipt and can simply vote again; the
  unique constraints refuse a second row if the first one did commit.
"""

import logging
import threading

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER = 2  # seconds
OUTAGE_RETRY_AFTER = 10
NEVER_SHED = ("/healthz",)


def unavailable(message: str, retry_after: int) -> HttpResponse:
    """A bare page (no template, no database) so it can be served whatever is down."""
    title = escape(_("Service temporarily unavailable"))
    body = (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><h1>{title}</h1><p>{escape(message)}</p>"
        "</body></html>"
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def busy() -> HttpResponse:
    return unavailable(
        _(
            "Too many requests at once right now. Nothing was recorded: please try again in "
            "a few seconds."
        ),
        BUSY_RETRY_AFTER,
    )


def outage() -> HttpResponse:
    return unavailable(
        _(
            "The database is not answering right now. If you were voting, your vote was not "
            "recorded unless you saw your receipt: please try again in a minute."
        ),
        OUTAGE_RETRY_AFTER,
    )


class OverloadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        limit = int(getattr(settings, "OVERLOAD_MAX_IN_FLIGHT", 0))
        self.places = threading.BoundedSemaphore(limit) if limit > 0 else None
        self.wait = int(getattr(settings, "OVERLOAD_QUEUE_MS", 100)) / 1000

    def __call__(self, request):
        if self.places is None or request.path in NEVER_SHED:
            return self.get_response(request)
        if not self.places.acquire(timeout=self.wait):
            return busy()
        try:
            return self.get_response(request)
        finally:
            self.places.release()

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unavailable for %s: %s", request.path, exception)
            return outage()
        return None
