"""Thin Celery entry points; the work is `sealing.seal_pending`."""

from celery import shared_task

from . import sealing


@shared_task
def seal_votes() -> int:
    """For a periodic beat (every few seconds): seal every ballot's unsealed votes."""
    return sealing.seal_pending()
