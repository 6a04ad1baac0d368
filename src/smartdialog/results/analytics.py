"""The organisers' analytics: the intake, the path from application to winner, the vote cut.

Applications are counted by `submissions.analytics` (one aggregate query per cut, the same
filters as the intake dashboard); the funnel adds the finalists and confirmed winners of
`reviews` to the same query; the vote is `figures.cached` under a `figures.Filters` cut,
shown through the same `tables` builders as the public pages. Every table is a
`tables.Table`, so `tables()` hands the exports exactly what the page shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from smartdialog.reference.models import Region
from smartdialog.reviews.decisions import winners
from smartdialog.reviews.models import Finalist
from smartdialog.submissions import analytics as intake
from smartdialog.submissions.enums import SubmissionState
from smartdialog.voting.models import Ballot

from . import figures as fig
from . import tables as builders
from .tables import Column, Table

NO_CUT = fig.Filters()


def _region_names() -> dict[str, str]:
    return {r.code: r.display_name for r in Region.objects.all()}


def _direction_titles(edition) -> dict[int, str]:
    return {d.number: d.display_title for d in edition.directions.all()}


# --- the intake ------------------------------------------------------------------------------


def intake_by_direction(edition) -> Table:
    return Table(
        slug="intake-directions",
        title=_("Applications by direction"),
        columns=[
            Column("number", _("No."), numeric=True),
            Column("direction", _("Direction")),
            Column("submitted", _("Submitted"), numeric=True),
            Column("drafts", _("Drafts"), numeric=True),
        ],
        rows=[
            {
                "number": row["number"],
                "direction": row["title"],
                "submitted": row["submitted"],
                "drafts": row["drafts"],
            }
            for row in intake.by_direction(intake.applications(edition))
        ],
        note=_("Submitted: sent at least once, whatever happened next; drafts are apart."),
    )


def intake_by_region(edition) -> Table:
    return Table(
        slug="intake-regions",
        title=_("Applications by the applicant's region"),
        columns=[
            Column("code", _("Code")),
            Column("region", _("Region")),
            Column("district", _("Federal district")),
            Column("submitted", _("Submitted"), numeric=True),
            Column("drafts", _("Drafts"), numeric=True),
        ],
        rows=[
            {
                "code": row["code"],
                "region": row["name"],
                "district": row["district"],
                "submitted": row["submitted"],
                "drafts": row["drafts"],
            }
            for row in intake.by_region(intake.applications(edition))
        ],
    )


def submitted_by_region(edition) -> dict[str, int]:
    """Region code → applications submitted: the values of the intake map."""
    return {
        row["code"]: row["submitted"]
        for row in intake.by_region(intake.applications(edition))
        if row["submitted"]
    }


# --- the funnel ------------------------------------------------------------------------------


def _funnel(edition, group: str) -> list[dict]:
    """Submitted, admitted, finalists and confirmed winners per value of `group`, one query.

    An admitted application stays admitted (the state has no way out), so the state is
    enough for the second step; finalists are those the organisers took to a working
    group, winners those of confirmed current decisions (what the public page shows).
    """
    finalists = Finalist.objects.filter(nomination__edition=edition).values("submission_id")
    won = [w.submission.pk for w in winners(edition)]
    rows = (
        intake.applications(edition)
        .filter(intake.SUBMITTED)
        .values(group)
        .annotate(
            submitted=Count("id"),
            admitted=Count("id", filter=Q(state=SubmissionState.ADMITTED)),
            finalists=Count("id", filter=Q(pk__in=finalists)),
            winners=Count("id", filter=Q(pk__in=won)),
        )
    )
    return [
        row | {"admitted_share": round(100 * row["admitted"] / row["submitted"])} for row in rows
    ]


def _funnel_columns(first: list[Column]) -> list[Column]:
    return [
        *first,
        Column("submitted", _("Submitted"), numeric=True),
        Column("admitted", _("Admitted"), numeric=True),
        Column("admitted_share", _("Admitted, % of submitted"), numeric=True),
        Column("finalists", _("Finalists"), numeric=True),
        Column("winners", _("Winners"), numeric=True),
    ]


def _funnel_note() -> str:
    return _(
        "Submitted: sent at least once. Admitted: passed pre-moderation. Finalists: taken to "
        "a working group. Winners: chosen by a confirmed decision."
    )


def funnel_by_region(edition) -> Table:
    names = _region_names()
    rows = [
        row | {"region": names[row["organization__region__code"]]}
        for row in _funnel(edition, "organization__region__code")
    ]
    return Table(
        slug="funnel-regions",
        title=_("From application to winner, by region"),
        columns=_funnel_columns([Column("region", _("Region"))]),
        rows=sorted(rows, key=lambda r: (-r["submitted"], r["region"])),
        note=_funnel_note(),
    )


def funnel_by_direction(edition) -> Table:
    titles = _direction_titles(edition)
    rows = [
        row
        | {
            "number": row["nomination__direction__number"],
            "direction": titles.get(row["nomination__direction__number"], ""),
        }
        for row in _funnel(edition, "nomination__direction__number")
    ]
    return Table(
        slug="funnel-directions",
        title=_("From application to winner, by direction"),
        columns=_funnel_columns(
            [Column("number", _("No."), numeric=True), Column("direction", _("Direction"))]
        ),
        rows=sorted(rows, key=lambda r: r["number"] or 0),
        note=_funnel_note(),
    )


# --- the vote under a cut --------------------------------------------------------------------


@dataclass
class VoteCut:
    figures: fig.Figures

    def values(self) -> dict[str, int]:
        """Region code → counted votes of the cut: the values of the vote map."""
        return {code: r.votes for code, r in self.figures.regions.items()}


def vote_cut(edition, filters: fig.Filters = NO_CUT) -> VoteCut | None:
    """The vote's figures under `filters`, or None when the edition has no vote."""
    ballot = Ballot.objects.filter(edition=edition).first()
    if ballot is None:
        return None
    return VoteCut(fig.cached(ballot, filters))


def vote_tables(edition, cut: VoteCut) -> dict[str, Table]:
    src = builders.Source(edition, cut.figures)
    figures = cut.figures
    found = [
        builders.totals(src),
        *(builders.ranking(src, section) for section in figures.sections),
        builders.regions(src),
        builders.districts(
            src, cut.values(), voters={c: r.voters for c, r in figures.regions.items()}
        ),
        builders.days(figures.hours(), slug="days"),
    ]
    return {t.slug: t for t in found}


def intake_tables(edition) -> dict[str, Table]:
    return {t.slug: t for t in (intake_by_direction(edition), intake_by_region(edition))}


def funnel_tables(edition) -> dict[str, Table]:
    return {t.slug: t for t in (funnel_by_direction(edition), funnel_by_region(edition))}


def tables(edition, params: Mapping[str, str] | None = None) -> dict[str, Table]:
    """Every table of the analytics page by slug, under the cut the query `params` name
    (`figures.parse_filters`: a bad value is a ValidationError saying which); the vote's
    tables are absent when the edition has no vote. The exports read this."""
    cut = vote_cut(edition, fig.parse_filters(edition, params or {}))
    found = intake_tables(edition) | funnel_tables(edition)
    return found | (vote_tables(edition, cut) if cut else {})
