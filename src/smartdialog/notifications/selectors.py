from dataclasses import dataclass

from django.db.models import QuerySet

from .defaults import DEFAULTS, LANGUAGES
from .models import MailTemplate, OutboundMessage


def messages_for(edition, *, state="", key="", recipient="") -> QuerySet:
    """The edition's outbox, newest first, filtered as the outbox page asks."""
    messages = OutboundMessage.objects.filter(edition=edition)
    if state:
        messages = messages.filter(state=state)
    if key:
        messages = messages.filter(key=key)
    if recipient:
        messages = messages.filter(to__icontains=recipient)
    return messages


@dataclass(frozen=True)
class TemplateRow:
    key: str
    title: str
    language: str
    override: MailTemplate | None


def template_rows(edition) -> list[TemplateRow]:
    """Every message key in every language, with the edition's override where it has one."""
    overrides = {
        (t.key, t.language): t
        for t in MailTemplate.objects.filter(edition=edition).select_related("updated_by")
    }
    return [
        TemplateRow(key, default.title, language, overrides.get((key, language)))
        for key, default in DEFAULTS.items()
        for language in LANGUAGES
    ]
