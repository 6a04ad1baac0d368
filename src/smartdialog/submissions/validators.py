"""Attachment checks shared by forms, services and the API: type by content, sizes."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected type → the extensions a file of that type may carry.
ALLOWED_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
ALLOWED_NAMES = "PDF, DOCX, XLSX, PPTX, JPG, PNG"


def detect_content_type(uploaded) -> str:
    """The type the file's bytes say it is, whatever its name claims."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("«%(name)s» is not a PDF, DOCX, XLSX, PPTX, JPG or PNG file by its content.")
            % {"name": uploaded.name},
            code="file_type",
        )
    return kind.mime


def validate_attachment(uploaded, *, already_stored: int) -> str:
    """Check one upload against the limits; returns its detected content type."""
    if uploaded.size == 0:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": uploaded.name}, code="empty")
    limit = settings.SUBMISSION_FILE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("«%(name)s» is %(size)s; a file may be at most %(limit)s.")
            % {
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            },
            code="file_size",
        )
    total = settings.SUBMISSION_TOTAL_MAX_BYTES
    if already_stored + uploaded.size > total:
        raise ValidationError(
            _("All files of one application may take at most %(limit)s; %(left)s is left.")
            % {
                "limit": filesizeformat(total),
                "left": filesizeformat(max(total - already_stored, 0)),
            },
            code="total_size",
        )
    content_type = detect_content_type(uploaded)
    suffix = "." + uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if suffix not in ALLOWED_TYPES[content_type]:
        raise ValidationError(
            _(
                "«%(name)s» is named %(suffix)s but its content is another type: rename or "
                "convert it."
            )
            % {"name": uploaded.name, "suffix": suffix or "—"},
            code="file_extension",
        )
    return content_type
