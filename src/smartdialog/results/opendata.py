"""The open-data archive of an edition: results tables, the anonymised vote log, the chain.

One ZIP, streamed with zipstream-ng while it is written: no member is built in memory or on
disk. The vote log is read through a server-side cursor (`sealing.sealed_lines`), its lines
grouped into 64 KB chunks before compression, so a million votes stream in constant memory.

Members (described file by file, column by column, in `README.txt` and `datapackage.json`,
a Frictionless Data Package):

- `tables/<slug>.csv` and `.json` — every table of the public results page;
- `log/votes.csv` — every sealed vote: receipt, voter pseudonym, entry, section, the voter's
  region code and time cast (the canonical line the chain hashes) and the batch number;
  no phone, e-mail, IP address or browser;
- `log/entries.csv` — what each entry of the ballot is (section, practice, organisation);
- `log/batches.csv` and `log/head.json` — the sealed batches and the chain head.

The log is cut at the last batch sealed when the download starts, so the files describe one
chain even if sealing goes on meanwhile.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from smartdialog.core import tabular
from smartdialog.voting import sealing
from smartdialog.voting.models import Ballot, BallotEntry, SealedBatch, Vote

from . import tables
from .exports import cells, header
from .tables import Table

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.ru",
}
CHUNK_BYTES = 64 * 1024
LOG_CHUNK = 5000
VOTE_COLUMNS = [
    ("receipt", "string", _("Receipt code of the vote, as the voter was shown it")),
    ("pseudonym", "string", _("Random pseudonym of the voter (the same for all their votes)")),
    ("entry_id", "integer", _("Entry of the ballot voted for: see log/entries.csv")),
    ("section_id", "integer", _("Section of the ballot: see log/entries.csv")),
    ("region_code", "string", _("Code of the voter's region when the vote was cast")),
    ("cast_at", "datetime", _("Time the vote was cast, UTC, ISO 8601")),
    ("batch", "integer", _("Number of the sealed batch holding the vote")),
]
ENTRY_COLUMNS = [
    ("entry_id", "integer", _("Entry of the ballot")),
    ("section_id", "integer", _("Section of the ballot")),
    ("section", "string", _("Title of the section")),
    ("number", "string", _("Number of the application")),
    ("practice", "string", _("Title of the practice")),
    ("organisation", "string", _("Organisation that submitted it")),
    ("region_code", "string", _("Code of the organisation's region")),
    ("region", "string", _("Organisation's region")),
]
BATCH_COLUMNS = [
    ("ballot", "integer", _("The ballot (the genesis is sha256 of this number)")),
    ("number", "integer", _("Number of the batch, from 1")),
    ("previous_hash", "string", _("Hash of the batch before (for batch 1, the genesis)")),
    ("hash", "string", _("sha256 of the previous hash followed by the batch's vote lines")),
    ("votes", "integer", _("Votes in the batch")),
    ("sealed_at", "datetime", _("Time the batch was sealed, UTC, ISO 8601")),
]


@dataclass
class Member:
    """One file of the archive: what the data dictionary says of it, and its bytes."""

    path: str
    description: str
    columns: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, type, description) of each column of a CSV file."""
    content: Iterable[bytes] = ()
    rows: int | None = None
    size: int | None = None
    """Bytes, when known before streaming (small files built whole)."""


def _whole(path, description, columns, data: bytes, rows=None) -> Member:
    """A small file built whole: its size is known for the data page."""
    return Member(path, description, columns, [data], rows, len(data))


def _chunked(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines joined into chunks of about 64 KB: zipstream compresses each chunk it gets."""
    buffer, size = [], 0
    for text in lines:
        buffer.append(text)
        size += len(text)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


# --- results tables -----------------------------------------------------------------------


def _table_members(table: Table) -> list[Member]:
    rows = list(table.rows)  # small tables, written twice (CSV and JSON)
    table = Table(table.slug, table.title, table.columns, rows, table.note)
    description = f"{table.title}. {table.note}" if table.note else str(table.title)
    columns = [(c.key, "number" if c.numeric else "string", str(c.title)) for c in table.columns]
    document = {
        "slug": table.slug,
        "title": str(table.title),
        "note": str(table.note),
        "columns": [{"key": c.key, "title": str(c.title)} for c in table.columns],
        "rows": rows,
    }
    text = b"".join(tabular.csv_lines(header(table), cells(table)))
    return [
        _whole(f"tables/{table.slug}.csv", description, columns, text, len(rows)),
        _whole(f"tables/{table.slug}.json", description, [], _json(document), len(rows)),
    ]


# --- the vote log -------------------------------------------------------------------------


def head(ballot: Ballot, last: SealedBatch | None) -> dict:
    """The chain head the archive's log ends at, with the votes counted in it."""
    sealed = Vote.objects.filter(ballot=ballot, batch__number__lte=last.number if last else 0)
    return {
        "ballot": ballot.pk,
        "genesis": sealing.genesis(ballot.pk),
        "last_batch": last.number if last else None,
        "hash": last.hash if last else None,
        "sealed_at": sealing.iso(last.sealed_at) if last else None,
        "votes_in_log": sealed.count(),
        "votes_not_yet_sealed": Vote.objects.filter(ballot=ballot, batch__isnull=True).count(),
        "generated_at": sealing.iso(timezone.now()),
    }


def _vote_lines(ballot, upto: int) -> Iterator[str]:
    yield ";".join(name for name, *_ in VOTE_COLUMNS) + "\n"
    for number, text in sealing.sealed_lines(ballot, upto=upto):
        yield f"{text};{number}\n"


def _entry_lines(ballot) -> Iterator[str]:
    entries = (
        BallotEntry.objects.filter(section__ballot=ballot)
        .select_related("section", "submission__organization__region", "submission__edition")
        .order_by("section__order", "order", "pk")
    )
    yield ";".join(name for name, *_ in ENTRY_COLUMNS) + "\n"
    for e in entries:
        s, org = e.submission, e.submission.organization
        cells = [e.pk, e.section_id, e.section.title, s.number, s.title, org.short_name]
        cells += [org.region.code, org.region.name]
        yield ";".join(_csv_text(c) for c in cells) + "\n"


def _csv_text(value) -> str:
    """A cell of the log's `;` files: text with `;`, quotes or line breaks is quoted."""
    text = str(value)
    if any(ch in text for ch in ';"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _batch_lines(ballot, upto: int) -> Iterator[str]:
    yield sealing.BATCH_HEADER + "\n"
    batches = SealedBatch.objects.filter(ballot=ballot, number__lte=upto).order_by("number")
    for b in batches.iterator(chunk_size=LOG_CHUNK):
        sealed_at = sealing.iso(b.sealed_at)
        yield f"{ballot.pk};{b.number};{b.previous_hash};{b.hash};{b.votes};{sealed_at}\n"


def _log_members(ballot: Ballot) -> list[Member]:
    last = SealedBatch.objects.filter(ballot=ballot).order_by("-number").first()
    upto = last.number if last else 0
    chain = head(ballot, last)
    return [
        Member(
            "log/votes.csv",
            str(
                _(
                    "Every sealed vote, batch after batch, in the order the chain hashes them. "
                    "The first six columns joined by ';' are the line sealed in the batch."
                )
            ),
            VOTE_COLUMNS,
            _chunked(_vote_lines(ballot, upto)),
            chain["votes_in_log"],
        ),
        Member(
            "log/entries.csv",
            str(_("The ballot's entries: the practice each entry stands for.")),
            ENTRY_COLUMNS,
            _chunked(_entry_lines(ballot)),
            BallotEntry.objects.filter(section__ballot=ballot).count(),
        ),
        Member(
            "log/batches.csv",
            str(_("The sealed batches of the hash chain, up to the chain head.")),
            BATCH_COLUMNS,
            _chunked(_batch_lines(ballot, upto)),
            upto,
        ),
        _whole(
            "log/head.json",
            str(_("The chain head: the last batch in this archive, its hash, votes in the log.")),
            [],
            _json(chain),
        ),
    ]


# --- the archive --------------------------------------------------------------------------


def members(edition) -> list[Member]:
    """The data files, described; their contents are read only when streamed."""
    found = [m for t in tables.all_tables(edition).values() for m in _table_members(t)]
    ballot = Ballot.objects.filter(edition=edition).first()
    if ballot is not None:
        found += _log_members(ballot)
    return found


def _resource(m: Member) -> dict:
    """One file in the Data Package: the results tables' CSV are written for Excel (a BOM,
    decimal comma), the log's as the public log (`voting.sealing`)."""
    for_excel = m.path.startswith("tables/")
    resource = {
        "path": m.path,
        "description": m.description,
        "format": m.path.rsplit(".", 1)[-1],
        "encoding": "utf-8-sig" if for_excel else "utf-8",
    }
    if m.path.endswith(".csv"):
        resource["dialect"] = {"delimiter": ";"}
    if m.rows is not None:
        resource["rows"] = m.rows
    if m.columns:
        fields = [
            {"name": name, "type": kind, "description": str(text)}
            | ({"decimalChar": ","} if for_excel and kind == "number" else {})
            for name, kind, text in m.columns
        ]
        resource["schema"] = {"fields": fields}
    return resource


def data_package(edition, files: list[Member]) -> dict:
    """The data dictionary as a Frictionless Data Package."""
    return {
        "name": f"smartdialog-{edition.year}",
        "title": str(edition),
        "licenses": [LICENCE],
        "created": sealing.iso(timezone.now()),
        "resources": [_resource(m) for m in files],
    }


def readme(edition, files: list[Member]) -> str:
    return render_to_string(
        "results/data/README.txt",
        {"edition": edition, "files": files, "licence": LICENCE, "now": timezone.now()},
    )


def archive(edition):
    """The ZIP as a lazy iterable of bytes; the data dictionary comes first."""
    from zipstream import ZIP_DEFLATED, ZipStream

    with translation.override(settings.LANGUAGE_CODE):
        files = members(edition)
        # Level 1: four times faster than the default 6 on the log, 18 % larger.
        stream = ZipStream(compress_type=ZIP_DEFLATED, compress_level=1)
        stream.add(readme(edition, files).encode(), "README.txt")
        stream.add(_json(data_package(edition, files)), "datapackage.json")
    for m in files:
        stream.add(m.content, m.path)
    return stream


def catalogue(edition) -> list[Member]:
    """The archive's files for the data page, each with its size or, for the vote log, an
    estimate (votes × the length of one line); nothing is streamed."""
    files = members(edition)
    sample = (
        Vote.objects.filter(ballot__edition=edition, batch__isnull=False)
        .values_list(*sealing.LINE_FIELDS, "batch__number")
        .first()
    )
    for m in files:
        if m.size is None and sample is not None and m.path == "log/votes.csv":
            m.size = m.rows * (len(sealing.line(*sample[:-1])) + len(str(sample[-1])) + 2)
    return files


def filename(edition) -> str:
    return f"smartdialog-{edition.year}-opendata.zip"
