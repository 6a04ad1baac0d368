import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename: str) -> str:
    """A random name under the submission: the original name is kept in the row only."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"submissions/{instance.submission_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An uploaded file. Never deleted: removing it from the draft sets `removed_at`,
    so versions that list it can still be opened."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def as_version_data(self) -> dict:
        return {"id": self.pk, "name": self.original_name, "size": self.size, "sha256": self.sha256}
