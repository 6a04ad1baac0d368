"""Mail templates an edition overrides, and the outbox every outgoing message passes through.

A message is written as an `OutboundMessage` row in the transaction of the change it
reports, and a worker sends it afterwards; if the mail server is down the row waits and is
retried, so nothing is lost and nothing is sent for a change that rolled back.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF_MINUTES = (1, 5, 25, 125)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A claimed row not finished within this time (the worker died) becomes due again.
SENDING_LEASE = datetime.timedelta(minutes=15)


class MailTemplate(models.Model):
    """An edition's own subject and body for one message key in one language.

    Only overrides are stored; the platform defaults stay in `defaults.py` (versioned with
    the code that passes their variables, no data migration to keep in step). So the edition
    is required and a plain unique constraint holds: NULL editions would never collide.
    """

    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="mail_templates"
    )
    key = models.CharField(_("message"), max_length=80)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["edition", "key", "language"]
        verbose_name = _("mail template")
        verbose_name_plural = _("mail templates")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key", "language"], name="mail_template_unique"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.language})"

    @property
    def audit_edition(self):
        return self.edition


class MessageState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


UNSENT = [MessageState.QUEUED, MessageState.SENDING, MessageState.FAILED]


class OutboundMessageQuerySet(models.QuerySet):
    def due(self, now=None):
        """Rows a worker may claim: queued or failed whose time has come, or a lost claim.

        A message that gave up has no next attempt, so it is never due until retried.
        """
        return self.filter(state__in=UNSENT, next_attempt_at__lte=now or timezone.now())


class OutboundMessage(models.Model):
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    key = models.CharField(_("message"), max_length=80, db_index=True)
    edition = models.ForeignKey(
        "contests.Edition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    state = models.CharField(
        _("state"), max_length=16, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="outbox_unsent",
                condition=models.Q(state__in=UNSENT),
            )
        ]

    def __str__(self):
        return f"{self.key} → {self.to}"

    @property
    def audit_edition(self):
        return self.edition

    @property
    def gave_up(self) -> bool:
        return self.state == MessageState.FAILED and self.next_attempt_at is None

    def mark_sent(self):
        self.state = MessageState.SENT
        self.sent_at = timezone.now()
        self.next_attempt_at = None
        self.save(update_fields=["state", "sent_at", "next_attempt_at"])

    def mark_failed(self, error: Exception):
        """Record the error and schedule the next attempt, or give up after the last one."""
        self.state = MessageState.FAILED
        self.last_error = f"{type(error).__name__}: {error}"[:2000]
        if self.attempts < MAX_ATTEMPTS:
            delay = BACKOFF_MINUTES[self.attempts - 1]
            self.next_attempt_at = timezone.now() + datetime.timedelta(minutes=delay)
        else:
            self.next_attempt_at = None
        self.save(update_fields=["state", "last_error", "next_attempt_at"])
