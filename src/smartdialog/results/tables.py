"""Every table shown on the results pages, as data: the page renders it, exports stream it.

A `Table` is plain rows of plain values, so the HTML view, CSV, XLSX and the PDF report all
read the same object and cannot disagree. The builders read `figures.Figures` (computed from
the votes) through a `Source`, which also holds the reference names; `all_tables` gathers
every table by slug for the exports.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _

from smartdialog.core.i18n import is_english
from smartdialog.reference import population
from smartdialog.reference.models import FederalDistrict, Region
from smartdialog.reviews.decisions import winners as confirmed_winners
from smartdialog.voting.models import Ballot

from . import figures as fig


@dataclass
class Column:
    key: str
    title: str
    numeric: bool = False
    link: str = ""
    """Key of the row value holding a URL for this cell on the page (exports ignore it)."""


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: Iterable[dict] = field(default_factory=list)
    note: str = ""


TOP = 10


def population_source() -> str:
    return population.SOURCE_EN if is_english() else population.SOURCE


@dataclass
class Source:
    """What the builders read: an edition's figures under a cut, and names to show."""

    edition: object
    figures: fig.Figures

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {r.code: r for r in Region.objects.select_related("federal_district")}

    @cached_property
    def districts(self) -> dict[str, FederalDistrict]:
        return {d.code: d for d in FederalDistrict.objects.all()}

    @cached_property
    def direction_titles(self) -> dict[int, str]:
        return {d.number: d.display_title for d in self.edition.directions.all()}

    def region_name(self, code: str) -> str:
        return self.regions[code].display_name

    def region_url(self, code: str) -> str:
        return reverse("results:region", kwargs={"year": self.edition.year, "code": code})

    def practice_url(self, practice: fig.Practice) -> str:
        return reverse(
            "results:practice",
            kwargs={"year": self.edition.year, "submission_id": practice.submission_id},
        )

    def section_title(self, section: fig.Section) -> str:
        return self.direction_titles.get(section.direction_number, section.title)


# --- the vote as a whole -----------------------------------------------------------------


def totals(src: Source) -> Table:
    figures = src.figures
    return Table(
        slug="totals",
        title=_("Totals"),
        columns=[Column("figure", _("Figure")), Column("value", _("Value"), numeric=True)],
        rows=[
            {"figure": _("Voters"), "value": figures.voters},
            {"figure": _("Votes counted"), "value": figures.counted},
            {"figure": _("Votes excluded"), "value": figures.excluded},
            {"figure": _("Practices on the ballot"), "value": len(figures.practices)},
        ],
        note=_(
            "A voter may vote in every direction, so votes outnumber voters. Excluded votes "
            "stay in the public log and are not counted."
        ),
    )


def ranking(src: Source, section: fig.Section) -> Table:
    """A direction's practices ranked by counted votes."""
    return Table(
        slug=f"ranking-{section.order}",
        title=src.section_title(section),
        columns=[
            Column("rank", _("Place"), numeric=True),
            Column("practice", _("Practice"), link="practice_url"),
            Column("region", _("Region of the applicant")),
            Column("organization", _("Organisation")),
            Column("votes", _("Votes"), numeric=True),
            Column("share", _("Share of the direction, %"), numeric=True),
            Column("margin", _("Ahead of the next"), numeric=True),
            Column("multiple", _("Times the mean of the others"), numeric=True),
            Column("excluded", _("Excluded votes"), numeric=True),
        ],
        rows=[
            {
                "rank": p.rank,
                "practice": p.title,
                "practice_url": src.practice_url(p),
                "region": src.region_name(p.region_code),
                "organization": p.organization,
                "votes": p.counted,
                "share": p.share,
                "margin": p.margin,
                "multiple": p.multiple,
                "excluded": p.excluded,
            }
            for p in section.practices
        ],
        note=_(
            "Share: the practice's votes ÷ all counted votes of the direction. Times the mean: "
            "the practice's votes ÷ the mean votes of the other practices of the direction."
        ),
    )


def winners(src: Source) -> Table:
    """The confirmed winners by nomination, with the votes their practice received."""
    votes = {p.submission_id: p.counted for p in src.figures.practices}
    return Table(
        slug="winners",
        title=_("Winners"),
        columns=[
            Column("nomination", _("Nomination")),
            Column("practice", _("Practice"), link="practice_url"),
            Column("organization", _("Organisation")),
            Column("region", _("Region")),
            Column("votes", _("Votes"), numeric=True),
        ],
        rows=[
            {
                "nomination": f"{w.nomination.code} {w.nomination.display_title}",
                "practice": w.submission.title,
                "practice_url": reverse(
                    "results:practice",
                    kwargs={"year": src.edition.year, "submission_id": w.submission.pk},
                )
                if w.submission.pk in votes
                else "",
                "organization": w.organization.short_name,
                "region": w.region.display_name,
                "votes": votes.get(w.submission.pk),
            }
            for w in confirmed_winners(src.edition)
        ],
    )


def regions(src: Source) -> Table:
    """All 89 subjects (the table beside the map): voters and votes by the voter's region."""
    rows = []
    for code, region in sorted(src.regions.items(), key=lambda item: item[1].display_name):
        found = src.figures.regions.get(code) or fig.RegionFigure(code)
        rows.append(
            {
                "code": code,
                "region": region.display_name,
                "region_url": src.region_url(code),
                "district": region.federal_district.display_name,
                "voters": found.voters,
                "votes": found.votes,
            }
        )
    return Table(
        slug="regions",
        title=_("Votes by the voter's region"),
        columns=[
            Column("region", _("Region"), link="region_url"),
            Column("voters", _("Voters"), numeric=True),
            Column("votes", _("Votes"), numeric=True),
            Column("district", _("Federal district")),
            Column("code", _("Code")),
        ],
        rows=rows,
        note=_("The region is the one the voter stated, as it was when the vote was cast."),
    )


def districts(src: Source, counts: dict[str, int], *, slug="districts", voters=None) -> Table:
    by_district = fig.by_district(counts)
    voters_by = fig.by_district(voters) if voters is not None else None
    columns = [Column("district", _("Federal district")), Column("votes", _("Votes"), True)]
    if voters_by is not None:
        columns.append(Column("voters", _("Voters"), numeric=True))
    return Table(
        slug=slug,
        title=_("Votes by federal district"),
        columns=columns,
        rows=[
            {"district": src.districts[code].display_name, "votes": n}
            | ({"voters": voters_by[code]} if voters_by is not None else {})
            for code, n in by_district.items()
        ],
    )


def most_active(src: Source) -> Table:
    return Table(
        slug="active-regions",
        title=_("Most active regions: voters"),
        columns=[
            Column("region", _("Region"), link="region_url"),
            Column("voters", _("Voters"), numeric=True),
            Column("votes", _("Votes"), numeric=True),
        ],
        rows=[
            {
                "region": src.region_name(r.code),
                "region_url": src.region_url(r.code),
                "voters": r.voters,
                "votes": r.votes,
            }
            for r in src.figures.most_active(TOP)
        ],
    )


def most_active_per_100k(src: Source) -> Table:
    return Table(
        slug="active-regions-per-100k",
        title=_("Most active regions: voters per 100 000 residents"),
        columns=[
            Column("region", _("Region"), link="region_url"),
            Column("voters", _("Voters"), numeric=True),
            Column("population", _("Residents"), numeric=True),
            Column("per_100k", _("Voters per 100 000 residents"), numeric=True),
        ],
        rows=[
            {
                "region": src.region_name(r.code),
                "region_url": src.region_url(r.code),
                "voters": r.voters,
                "population": r.population,
                "per_100k": r.per_100k,
            }
            for r in src.figures.most_active_per_100k(TOP)
        ],
        note=_("Population: %(source)s.") % {"source": population_source()},
    )


def days(hours: dict[datetime.datetime, int], *, slug: str) -> Table:
    return Table(
        slug=slug,
        title=_("Votes per day (Moscow time)"),
        columns=[Column("day", _("Day")), Column("votes", _("Votes"), numeric=True)],
        rows=[{"day": day, "votes": n} for day, n in fig.by_day(hours).items()],
    )


def hours_of_day(hours: dict[datetime.datetime, int], *, slug: str) -> Table:
    return Table(
        slug=slug,
        title=_("Votes per hour of the day (Moscow time)"),
        columns=[Column("hour", _("Hour")), Column("votes", _("Votes"), numeric=True)],
        rows=[
            {"hour": f"{hour:02d}:00–{hour:02d}:59", "votes": n}
            for hour, n in fig.by_hour_of_day(hours).items()
        ],
    )


# --- one practice ----------------------------------------------------------------------------


def practice_tables(src: Source, practice: fig.Practice) -> dict[str, Table]:
    prefix = f"practice-{practice.submission_id}"
    by_region = Table(
        slug=f"{prefix}-regions",
        title=_("Votes for the practice by the voter's region"),
        columns=[
            Column("region", _("Region"), link="region_url"),
            Column("district", _("Federal district")),
            Column("votes", _("Votes"), numeric=True),
        ],
        rows=[
            {
                "region": src.region_name(code),
                "region_url": src.region_url(code),
                "district": src.regions[code].federal_district.display_name,
                "votes": n,
            }
            for code, n in sorted(
                practice.regions.items(), key=lambda item: (-item[1], src.region_name(item[0]))
            )
        ],
    )
    tables = [
        by_region,
        districts(src, practice.regions, slug=f"{prefix}-districts"),
        days(practice.hours, slug=f"{prefix}-days"),
        hours_of_day(practice.hours, slug=f"{prefix}-hours"),
    ]
    return {t.slug: t for t in tables}


# --- by page and all together ----------------------------------------------------------------


def overview_tables(src: Source) -> dict[str, Table]:
    """The results page: totals, a ranking per direction, the winners."""
    tables = [totals(src), *(ranking(src, s) for s in src.figures.sections), winners(src)]
    return {t.slug: t for t in tables}


def geography_tables(src: Source) -> dict[str, Table]:
    """The regions page: every region, districts, the most active, time."""
    figures = src.figures
    votes = {code: r.votes for code, r in figures.regions.items()}
    voters = {code: r.voters for code, r in figures.regions.items()}
    tables = [
        regions(src),
        districts(src, votes, voters=voters),
        most_active(src),
        most_active_per_100k(src),
        days(figures.hours(), slug="days"),
        hours_of_day(figures.hours(), slug="hours"),
    ]
    return {t.slug: t for t in tables}


def all_tables(edition, **filters) -> dict[str, Table]:
    """Every table of the results pages by slug, under the cut `filters` (the fields of
    `figures.Filters`); empty when the edition has no vote."""
    ballot = Ballot.objects.filter(edition=edition).first()
    if ballot is None:
        return {}
    src = Source(edition, fig.cached(ballot, fig.Filters(**filters)))
    tables = overview_tables(src) | geography_tables(src)
    for practice in src.figures.practices:
        tables |= practice_tables(src, practice)
    return tables
