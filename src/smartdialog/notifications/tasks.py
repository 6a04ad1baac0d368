"""Thin Celery entry points; the work is `services.deliver` and `services.deliver_due`."""

from celery import shared_task

from . import services


@shared_task
def send_message(pk: int) -> bool:
    return services.deliver(pk)


@shared_task
def send_due() -> int:
    """For a periodic beat: queued messages whose task was lost, and retries that are due."""
    return services.deliver_due()
