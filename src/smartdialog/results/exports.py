"""Any results `Table` as a file for spreadsheets (CSV or XLSX), and the vote log by dates.

The exporters know nothing of what a table holds: the header is the columns' titles, a row
is its values in column order (`core.tabular` writes them). Rows are read once, as they
come, so a table whose rows are a database iterator (the vote log) streams.
"""

import datetime
import decimal
from collections.abc import Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartdialog.core import tabular
from smartdialog.voting import sealing
from smartdialog.voting.models import Vote

from .tables import Column, Table

FORMATS = ("csv", "xlsx")
XLSX_ROW_CAP = 100_000
"""An XLSX file beyond this is slow to open and near Excel's limit: CSV has no cap."""
CHUNK = 5000
PRACTICE_PREFIX = "practice-"  # `tables.practice_tables`


def header(table: Table) -> list[str]:
    return [str(c.title) for c in table.columns]


def cells(table: Table) -> Iterator[list]:
    """Each row's values in column order; lazy texts become strings."""
    keys = [c.key for c in table.columns]
    for row in table.rows:
        yield [_plain(row.get(key)) for key in keys]


def _plain(value):
    """Numbers, dates and None as they are; anything else (lazy texts) as a string."""
    if value is None or isinstance(value, int | float | decimal.Decimal | datetime.date | str):
        return value
    return str(value)


def page_and_practice_tables(found: dict[str, Table]) -> tuple[list[Table], list[Table]]:
    """The tables of the results pages, and those of single practices (four per practice)."""
    page = [t for slug, t in found.items() if not slug.startswith(PRACTICE_PREFIX)]
    return page, [t for slug, t in found.items() if slug.startswith(PRACTICE_PREFIX)]


def filename(edition, slug: str, extension: str) -> str:
    return f"smartdialog-{edition.year}-{slug}.{extension}"


def response(table: Table, extension: str, name: str):
    """A download of the table: CSV streamed, XLSX from a spooled file."""
    if extension == "csv":
        # The header is made now, in the request's language; rows stream afterwards.
        response = StreamingHttpResponse(
            tabular.csv_lines(header(table), cells(table)), content_type=tabular.CSV_MEDIA_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        tabular.xlsx_file(str(table.title), header(table), cells(table)),
        as_attachment=True,
        filename=name,
        content_type=tabular.XLSX_MEDIA_TYPE,
    )


# --- the vote log for a range of days ---------------------------------------------------


def votes_between(ballot, since: datetime.date, until: datetime.date):
    """Votes cast from the start of `since` to the end of `until`, Moscow days."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tz)
    return Vote.objects.filter(ballot=ballot, cast_at__gte=start, cast_at__lt=end)


def range_problem(ballot, since, until, extension: str) -> str | None:
    """Why a vote log export for these days is refused (None: it is not)."""
    first = timezone.localdate(ballot.opens_at)
    last = timezone.localdate(ballot.closes_at)
    if since > until:
        return _("The start date is after the end date: swap them.")
    if since < first or until > last:
        return _("The vote ran from %(first)s to %(last)s: choose days within these dates.") % {
            "first": first.strftime("%d.%m.%Y"),
            "last": last.strftime("%d.%m.%Y"),
        }
    if extension == "xlsx":
        count = votes_between(ballot, since, until).count()
        if count > XLSX_ROW_CAP:
            return _(
                "These days hold %(count)s votes; an XLSX file takes at most %(cap)s rows. "
                "Choose fewer days, download CSV or the open-data archive."
            ) % {
                "count": number_format(count, force_grouping=True),
                "cap": number_format(XLSX_ROW_CAP, force_grouping=True),
            }
    return None


VOTE_LOG_COLUMNS = [
    Column("receipt", gettext_lazy("Receipt")),
    Column("pseudonym", gettext_lazy("Voter pseudonym")),
    Column("entry_id", gettext_lazy("Entry"), numeric=True),
    Column("section_id", gettext_lazy("Section"), numeric=True),
    Column("region_code", gettext_lazy("Voter region code")),
    Column("cast_at", gettext_lazy("Cast at (Moscow time)")),
    Column("batch", gettext_lazy("Sealed batch"), numeric=True),
]


LOG_FIELDS = (*sealing.LINE_FIELDS, "batch__number")


def vote_log_table(ballot, since, until) -> Table:
    """The anonymised votes of these days, oldest first, read from a server-side cursor."""
    rows = votes_between(ballot, since, until).order_by("cast_at", "id").values_list(*LOG_FIELDS)
    keys = [c.key for c in VOTE_LOG_COLUMNS]

    def read():
        for values in rows.iterator(chunk_size=CHUNK):
            row = dict(zip(keys, values, strict=True))
            row["cast_at"] = timezone.localtime(row["cast_at"]).replace(tzinfo=None)
            yield row

    return Table(
        slug="votes",
        title=_("Votes %(since)s – %(until)s")
        % {"since": since.strftime("%d.%m.%Y"), "until": until.strftime("%d.%m.%Y")},
        columns=[Column(c.key, str(c.title), c.numeric) for c in VOTE_LOG_COLUMNS],
        rows=read(),
    )
