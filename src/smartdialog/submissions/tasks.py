from celery import shared_task

from . import services


@shared_task
def remind_draft_owners() -> int:
    """Run daily (Celery beat): reminders to owners of drafts near the deadline."""
    return services.remind_draft_owners()
