"""Every table shown on the results pages, as data: the page renders it, exports stream it.

A `Table` is plain rows of plain values, so the HTML view, CSV, XLSX and the PDF report all
read the same object and cannot disagree.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Column:
    key: str
    title: str
    numeric: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: Iterable[dict] = field(default_factory=list)
    note: str = ""
