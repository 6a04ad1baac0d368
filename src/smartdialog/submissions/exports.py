"""The applications register of an edition as CSV or XLSX, without loading it into memory.

Rows come from one query (`register`) read through `iterator(chunk_size=2000)`; CSV is
streamed line by line, XLSX is written by openpyxl's write-only workbook into a spooled
temporary file (in memory up to 4 MB, on disk beyond). The register is always written in
Russian, the site's language, so files downloaded by different organisers match.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

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
DATE_COLUMNS = (11, 12)
CSV_DATE_FORMAT = "%d.%m.%Y %H:%M"
XLSX_DATE_FORMAT = "DD.MM.YYYY HH:MM"
# CSV text a spreadsheet would run as a formula (CSV injection) gets a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def filename(edition, extension: str) -> str:
    return f"smartdialog-{edition.year}-applications.{extension}"


class _Line:
    """A file-like object whose `write` hands back the line csv.writer produced."""

    def write(self, value: str) -> str:
        return value


def csv_lines(items: QuerySet) -> Iterator[bytes]:
    """UTF-8 with a BOM (Excel then reads Cyrillic right) and `;` between cells: Excel in
    the Russian locale uses `;` as the list separator (the comma is the decimal mark), so a
    double click opens the file in columns."""
    with translation.override(settings.LANGUAGE_CODE):
        writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
        yield ("\ufeff" + writer.writerow(headers())).encode()
        for row in rows(items):
            cells = [
                v.strftime(CSV_DATE_FORMAT)
                if isinstance(v, datetime.datetime)
                else ""
                if v is None
                else _safe(v)
                for v in row
            ]
            yield writer.writerow(cells).encode()


def write_xlsx(items: QuerySet, out) -> None:
    """Write the register into the binary file `out` with a write-only workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    with translation.override(settings.LANGUAGE_CODE):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(_("Applications")))
        sheet.freeze_panes = "A2"
        for letter, width in zip(
            "ABCDEFGHIJKLMNOP",
            (15, 50, 30, 10, 40, 30, 13, 30, 25, 25, 22, 17, 17, 25, 9, 8),
            strict=True,
        ):
            sheet.column_dimensions[letter].width = width
        bold = Font(bold=True)
        header = []
        for text in headers():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows(items):
            cells: list = []
            for i, value in enumerate(row):
                if i in DATE_COLUMNS and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = XLSX_DATE_FORMAT
                    cells.append(cell)
                elif isinstance(value, str):
                    # A string cell is never evaluated, but openpyxl takes "=…" as a formula.
                    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
        book.save(out)


def xlsx_file(items: QuerySet) -> tempfile.SpooledTemporaryFile:
    """The workbook in a spooled temporary file, rewound; the caller closes it."""
    # Not a `with`: the file outlives this call; FileResponse closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(items, out)
    out.seek(0)
    return out
