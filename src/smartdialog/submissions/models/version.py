from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import SubmissionState


class SubmissionVersion(models.Model):
    """The passport as it was submitted: frozen, never changed."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a submitted version is frozen")
        super().save(*args, **kwargs)


class SubmissionTransition(models.Model):
    """One state change: who, when, from, to, why; the checklist for moderators' decisions."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(max_length=16, choices=SubmissionState.choices)
    to_state = models.CharField(max_length=16, choices=SubmissionState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    comment = models.TextField(blank=True)
    checklist = models.JSONField(null=True, blank=True)
    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class ModerationComment(models.Model):
    """A moderator's remark on one field of one submitted version."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="comments"
    )
    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.PROTECT, related_name="comments"
    )
    field = models.CharField(_("field"), max_length=64)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.field}: {self.text[:40]}"
