from django.db.models import QuerySet

from .models import AuditEntry


def entries_for(edition, *, action="", actor="", date_from=None, date_to=None) -> QuerySet:
    """The audit log of one edition, filtered as the organiser's log page asks."""
    entries = AuditEntry.objects.filter(edition=edition).select_related("actor", "content_type")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries
