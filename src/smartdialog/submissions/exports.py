"""The applications register of an edition as CSV or XLSX, without loading it into memory.

Rows come from one query (`register`) read through `iterator(chunk_size=2000)` and are
written by `core.tabular` (CSV streamed line by line, XLSX into a spooled temporary file).
The register is always written in Russian, the site's language, so files downloaded by
different organisers match.
"""

import datetime
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from smartdialog.core import tabular

from . import analytics
from .enums import SubmissionState
from .models import Attachment, SubmissionVersion

CHUNK = 2000
HEADERS = [
    _("Number"),
    _("Title of the practice"),
    _("Direction"),
    _("Nomination code"),
    _("Nomination"),
    _("Organisation"),
    _("INN"),
    _("Kind of organisation"),
    _("Region"),
    _("Federal district"),
    _("State"),
    _("First submitted (Moscow time)"),
    _("Last state change (Moscow time)"),
    _("Moderator"),
    _("Versions"),
    _("Files"),
]


# Only what the register shows: the passport's long texts stay in the database.
REGISTER_FIELDS = (
    "id",
    "title",
    "state",
    "submitted_at",
    "state_changed_at",
    "edition__year",
    "nomination__code",
    "nomination__title",
    "nomination__title_en",
    "nomination__direction__number",
    "nomination__direction__title",
    "nomination__direction__title_en",
    "organization__short_name",
    "organization__inn",
    "organization__kind__name",
    "organization__kind__name_en",
    "organization__region__name",
    "organization__region__name_en",
    "organization__region__federal_district__name",
    "organization__region__federal_district__name_en",
    "moderator__email",
)


def _count(model, **extra) -> Coalesce:
    """Rows of `model` per submission as a correlated subquery: no join multiplication."""
    counted = (
        model.objects.filter(submission=OuterRef("pk"), **extra)
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def register(edition, **filters) -> QuerySet:
    """The register's rows, filtered like the dashboard, oldest application first."""
    return (
        analytics.applications(edition, **filters)
        .select_related(
            "edition",
            "nomination",
            "nomination__direction",
            "organization",
            "organization__kind",
            "organization__region",
            "organization__region__federal_district",
            "moderator",
        )
        .only(*REGISTER_FIELDS)
        .annotate(
            version_count=_count(SubmissionVersion),
            file_count=_count(Attachment, removed_at__isnull=True),
        )
        .order_by("pk")
    )


def _moscow(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Moscow wall time without tzinfo (spreadsheets know no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment, analytics.MOSCOW).replace(tzinfo=None)


def headers() -> list[str]:
    return [str(h) for h in HEADERS]


def rows(items: QuerySet) -> Iterator[list]:
    """One list of cell values per application, read in chunks."""
    for s in items.iterator(chunk_size=CHUNK):
        org, nomination = s.organization, s.nomination
        direction = nomination.direction
        yield [
            s.number,
            s.title,
            f"{direction.number}. {direction.display_title}",
            nomination.code,
            nomination.display_title,
            org.short_name,
            org.inn,
            org.kind.display_name,
            org.region.display_name,
            org.region.federal_district.display_name,
            str(SubmissionState(s.state).label),
            _moscow(s.submitted_at),
            _moscow(s.state_changed_at),
            s.moderator.email if s.moderator else "",
            s.version_count,
            s.file_count,
        ]


def filename(edition, extension: str) -> str:
    return f"smartdialog-{edition.year}-applications.{extension}"


def csv_lines(items: QuerySet) -> Iterator[bytes]:
    """The register as CSV for Excel (`core.tabular`), in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield from tabular.csv_lines(headers(), rows(items))


def xlsx_file(items: QuerySet) -> tempfile.SpooledTemporaryFile:
    """The register as a workbook in a spooled temporary file, rewound; the caller closes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return tabular.xlsx_file(
            str(_("Applications")),
            headers(),
            rows(items),
            widths=(15, 50, 30, 10, 40, 30, 13, 30, 25, 25, 22, 17, 17, 25, 9, 8),
        )
