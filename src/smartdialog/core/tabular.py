"""Rows of plain values as spreadsheet files, streamed: CSV for Excel and XLSX.

CSV is UTF-8 with a BOM (Excel then reads Cyrillic right) and `;` between cells: Excel in the
Russian locale uses `;` as the list separator and the comma as the decimal mark, so a double
click opens the file in columns with numbers as numbers. XLSX is written by openpyxl's
write-only workbook into a spooled temporary file (in memory up to 4 MB, on disk beyond).
Used by the intake register (`submissions.exports`) and the results exports.
"""

import csv
import datetime
import decimal
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

CSV_DATE_FORMAT = "%d.%m.%Y %H:%M"
XLSX_DATE_FORMAT = "DD.MM.YYYY HH:MM"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# CSV text a spreadsheet would run as a formula (CSV injection) gets a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


class _Line:
    """A file-like object whose `write` hands back the line csv.writer produced."""

    def write(self, value: str) -> str:
        return value


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value):
    """A value as Excel in the Russian locale reads it: dates `31.12.2023 18:00`, decimal
    comma, empty for None, text that looks like a formula defused."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    return safe(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The header and the rows as encoded CSV lines, one row at a time."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow([str(h) for h in header])).encode()
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row]).encode()


def write_xlsx(
    out, title: str, header: Sequence[str], rows: Iterable[Sequence], *, widths=()
) -> None:
    """Write one sheet into the binary file `out`: a bold frozen header, then the rows
    (strings always as text, datetimes with a date format, numbers as numbers)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    # Sheet names are at most 31 characters and refuse []:*?/\ .
    sheet = book.create_sheet(ILLEGAL_SHEET_NAME.sub(" ", title)[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
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


def xlsx_file(title: str, header, rows, *, widths=()) -> tempfile.SpooledTemporaryFile:
    """The workbook in a spooled temporary file, rewound; the caller closes it."""
    # Not a `with`: the file outlives this call; FileResponse closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(out, title, header, rows, widths=widths)
    out.seek(0)
    return out
