"""The outbox: render a message into a row in the caller's transaction, then deliver it.

`enqueue` is the only way to send mail. Delivery is `deliver`/`deliver_due`, called by the
Celery tasks and the `send_outbox` command alike; mail is never sent from a view.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartdialog.audit.services import record, snapshot

from .defaults import DEFAULTS, LANGUAGES
from .models import SENDING_LEASE, MailTemplate, MessageState, OutboundMessage
from .validators import MAIL_ENGINE, validate_template_syntax

logger = logging.getLogger(__name__)

RETRY_FIELDS = ["state", "attempts", "next_attempt_at", "last_error"]


def check_key(key: str, language: str) -> None:
    """Unknown keys and languages are programming errors, not user input."""
    if key not in DEFAULTS:
        raise ValueError(f"unknown mail key {key!r}; add it to notifications/defaults.py")
    if language not in LANGUAGES:
        raise ValueError(f"unknown mail language {language!r}")


def template_for(edition, key: str, language: str) -> MailTemplate:
    """The edition's override, or an unsaved `MailTemplate` holding the default text."""
    check_key(key, language)
    if edition is not None:
        override = MailTemplate.objects.filter(edition=edition, key=key, language=language).first()
        if override is not None:
            return override
    default = DEFAULTS[key]
    return MailTemplate(
        edition=edition,
        key=key,
        language=language,
        subject=default.subject[language],
        body=default.body[language],
    )


def _render(text: str, context: dict, language: str) -> str:
    with translation.override(language):
        return MAIL_ENGINE.from_string(text).render(Context(context, autoescape=False))


def render_preview(template: MailTemplate, context: dict) -> tuple[str, str]:
    """(subject, body) as a recipient would get them; the subject is one line."""
    subject = " ".join(_render(template.subject, context, template.language).split())
    return subject[:300], _render(template.body, context, template.language)


def enqueue(
    key: str, to: str, context: dict, *, related=None, edition=None, language: str = "ru"
) -> OutboundMessage:
    """Write the message in the caller's transaction; it is sent only if that commits."""
    if edition is None:
        edition = getattr(related, "audit_edition", None)
    template = template_for(edition, key, language)
    try:
        subject, body = render_preview(template, context)
    except Exception:
        if template.pk is None:
            raise
        # An organiser's override must not break the change it reports: use the default.
        logger.exception("mail template %s of edition %s failed; default used", key, edition)
        subject, body = render_preview(template_for(None, key, language), context)
    message = OutboundMessage.objects.create(
        to=to,
        subject=subject,
        body=body,
        language=language,
        key=key,
        edition=edition,
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
    )
    _schedule(message.pk)
    return message


def _schedule(pk: int) -> None:
    """Start sending after commit; if the broker is down the row stays due for `send_due`."""
    from .tasks import send_message

    transaction.on_commit(lambda: send_message.delay(pk), robust=True)


@transaction.atomic
def retry(message: OutboundMessage, *, by) -> OutboundMessage:
    """An organiser sends a failed message again, now; counts one more attempt."""
    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != MessageState.FAILED:
        raise ValidationError(_("Only a message that failed can be sent again."))
    before = snapshot(message, RETRY_FIELDS)
    message.state = MessageState.QUEUED
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["state", "next_attempt_at"])
    record(
        by,
        "notifications.message_retried",
        message,
        before=before,
        after=snapshot(message, RETRY_FIELDS),
    )
    _schedule(message.pk)
    return message


def deliver(pk: int) -> bool:
    """Claim one due message and send it; False when another worker has it or it is not due.

    The claim is one conditional UPDATE, so of two workers racing for a row exactly one
    changes it and sends. The claim counts the attempt and holds a lease: a worker that
    dies mid-send leaves the row due again once the lease ends.
    """
    now = timezone.now()
    claimed = (
        OutboundMessage.objects.due(now)
        .filter(pk=pk)
        .update(
            state=MessageState.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_LEASE,
        )
    )
    if claimed != 1:
        return False
    message = OutboundMessage.objects.get(pk=pk)
    try:
        EmailMessage(
            message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]
        ).send()
    except Exception as error:
        logger.warning("sending message %s failed (attempt %s): %s", pk, message.attempts, error)
        message.mark_failed(error)
        return False
    message.mark_sent()
    return True


def deliver_due(limit: int = 200) -> int:
    """Send the due messages, oldest first; the number sent."""
    pks = list(
        OutboundMessage.objects.due()
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk) for pk in pks)


TEMPLATE_FIELDS = ["subject", "body"]


@transaction.atomic
def save_template(edition, key: str, language: str, *, subject: str, body: str, by):
    """Create or change the edition's override; syntax is checked again here."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            validate_template_syntax(text)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    template = template_for(edition, key, language)
    if template.pk is not None:
        template = MailTemplate.objects.select_for_update().get(pk=template.pk)
    before = snapshot(template, TEMPLATE_FIELDS)
    template.subject, template.body, template.updated_by = subject, body, by
    template.save()
    record(
        by,
        "notifications.template_changed",
        template,
        before=before,
        after=snapshot(template, TEMPLATE_FIELDS),
    )
    return template


@transaction.atomic
def reset_template(edition, key: str, language: str, *, by) -> bool:
    """Drop the edition's override so the default applies; False if there was none."""
    check_key(key, language)
    template = (
        MailTemplate.objects.select_for_update()
        .filter(edition=edition, key=key, language=language)
        .first()
    )
    if template is None:
        return False
    default = template_for(None, key, language)
    record(
        by,
        "notifications.template_reset",
        template,
        before=snapshot(template, TEMPLATE_FIELDS),
        after=snapshot(default, TEMPLATE_FIELDS),
    )
    template.delete()
    return True
