"""What the results add to the vote's data: the decision to publish, press texts, certificates.

The figures themselves are never stored here: they are computed from the votes (`voting.tally`)
and the applications each time, so a published page cannot drift from the data.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def certificate_code() -> str:
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Publication(models.Model):
    """An edition's results are public from `published_at` until withdrawn."""

    edition = models.OneToOneField(
        "contests.Edition", on_delete=models.PROTECT, related_name="results_publication"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"{self.edition}: {self.published_at or '—'}"

    @property
    def audit_edition(self):
        return self.edition


class PressText(models.Model):
    """A summary of the vote: generated from the numbers, maybe edited, maybe published.

    `numbers` keeps the figures the generator read, so the published text links to them.
    """

    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="press_texts"
    )
    generated_text = models.TextField()
    text = models.TextField(_("text"))
    numbers = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.edition}: {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def audit_edition(self):
        return self.edition


class Certificate(models.Model):
    """An electronic certificate issued from an application's data, verifiable by its code."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        FINALIST = "finalist", _("finalist")
        WINNER = "winner", _("winner")

    code = models.CharField(max_length=16, unique=True, default=certificate_code)
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    data = models.JSONField(default=dict, help_text="what the certificate says, as issued")
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="one_certificate_per_kind")
        ]

    def __str__(self):
        return self.code
