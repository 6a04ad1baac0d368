"""The printable results report: the published press text and the results pages' tables.

A PDF made by WeasyPrint from the same `Table`s as the page and the exports (`core.pdf`:
PT Sans, nothing fetched from outside), always in Russian, the contest's language. The
totals are the first table (`tables.totals`), so the report and the page cannot disagree.
Single practices' tables (four per practice) stay in the exports and the archive.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from smartdialog.core import pdf

from . import tables
from .exports import cells, page_and_practice_tables
from .models import PressText

TEMPLATE = "results/pdf/report.html"


def _printable(table) -> dict:
    flags = [c.numeric for c in table.columns]
    return {
        "title": table.title,
        "note": table.note,
        "columns": table.columns,
        "rows": [list(zip(row, flags, strict=True)) for row in cells(table)],
    }


def html(edition) -> str:
    page_tables, _practices = page_and_practice_tables(tables.all_tables(edition))
    with translation.override("ru"):
        return render_to_string(
            TEMPLATE,
            {
                "edition": edition,
                "press": PressText.objects.filter(edition=edition, published_at__isnull=False)
                .order_by("-published_at")
                .first(),
                "tables": [_printable(t) for t in page_tables],
                "generated_at": timezone.localtime(),
                "fonts": pdf.font_faces(),
            },
        )


def render(edition) -> bytes:
    return pdf.render(html(edition))


def filename(edition) -> str:
    return f"smartdialog-{edition.year}-results.pdf"
