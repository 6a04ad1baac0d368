"""Figures of the intake for the organisers' dashboard: one aggregate query per cut.

Every function takes the queryset from `applications(edition, **filters)`, so the same
filters apply to every cut, and runs one `values(...).annotate(Count(...))` query: the
number of queries never depends on the number of applications.

"Submitted" means submitted at least once (`submitted_at` is set), whatever happened next;
drafts still being filled are counted beside them, never inside them (in 2023 more than
870 passports were still drafts when 324 had passed pre-moderation).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from smartdialog.core.i18n import is_english

from .enums import SubmissionState
from .models import Submission

MOSCOW = ZoneInfo("Europe/Moscow")
S = SubmissionState

SUBMITTED = Q(submitted_at__isnull=False)
DRAFTS = Q(state=S.DRAFT)


def applications(
    edition, *, direction=None, nomination=None, region=None, kind=None, state=None
) -> QuerySet:
    """Applications of the edition narrowed by the dashboard filters (model instances or
    None; `kind` matches the kind itself and its sub-kinds)."""
    items = Submission.objects.filter(edition=edition)
    if direction:
        items = items.filter(nomination__direction=direction)
    if nomination:
        items = items.filter(nomination=nomination)
    if region:
        items = items.filter(organization__region=region)
    if kind:
        items = items.filter(Q(organization__kind=kind) | Q(organization__kind__parent=kind))
    if state:
        items = items.filter(state=state)
    return items.order_by()


def _name(row: dict, prefix: str) -> str:
    """The English twin under English when it is filled, else the Russian name."""
    english = row.get(f"{prefix}_en")
    return english if is_english() and english else row[prefix]


def _counted(items: QuerySet) -> QuerySet:
    return items.annotate(
        submitted=Count("id", filter=SUBMITTED), drafts=Count("id", filter=DRAFTS)
    )


def totals(items: QuerySet) -> dict:
    """All passports, those submitted at least once, drafts, and where they stand now."""
    return items.aggregate(
        total=Count("id"),
        submitted=Count("id", filter=SUBMITTED),
        drafts=Count("id", filter=DRAFTS),
        awaiting=Count("id", filter=Q(state__in=[S.SUBMITTED, S.RESUBMITTED, S.IN_MODERATION])),
        returned=Count("id", filter=Q(state=S.RETURNED)),
        admitted=Count("id", filter=Q(state=S.ADMITTED)),
        rejected=Count("id", filter=Q(state=S.REJECTED)),
        withdrawn=Count("id", filter=Q(state=S.WITHDRAWN)),
    )


def by_state(items: QuerySet) -> list[dict]:
    """Every state in lifecycle order, with zeros, and its share of all passports."""
    counts = dict(items.values_list("state").annotate(count=Count("id")).order_by())
    total = sum(counts.values())
    return [
        {
            "state": value,
            "label": label,
            "count": counts.get(value, 0),
            "share": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value, label in S.choices
    ]


def by_direction(items: QuerySet) -> list[dict]:
    rows = _counted(
        items.values(
            "nomination__direction__number",
            "nomination__direction__title",
            "nomination__direction__title_en",
        )
    ).order_by("nomination__direction__number")
    return [
        {
            "number": r["nomination__direction__number"],
            "title": _name(r, "nomination__direction__title"),
            "submitted": r["submitted"],
            "drafts": r["drafts"],
        }
        for r in rows
    ]


def by_nomination(items: QuerySet) -> list[dict]:
    rows = _counted(
        items.values(
            "nomination__code",
            "nomination__title",
            "nomination__title_en",
            "nomination__order",
            "nomination__direction__number",
        )
    ).order_by("nomination__direction__number", "nomination__order", "nomination__code")
    return [
        {
            "code": r["nomination__code"],
            "title": _name(r, "nomination__title"),
            "submitted": r["submitted"],
            "drafts": r["drafts"],
        }
        for r in rows
    ]


def by_region(items: QuerySet) -> list[dict]:
    """Regions with at least one passport, most submitted first."""
    rows = _counted(
        items.values(
            "organization__region__code",
            "organization__region__name",
            "organization__region__name_en",
            "organization__region__federal_district__name",
            "organization__region__federal_district__name_en",
        )
    ).order_by("-submitted", "-drafts", "organization__region__name")
    return [
        {
            "code": r["organization__region__code"],
            "name": _name(r, "organization__region__name"),
            "district": _name(r, "organization__region__federal_district__name"),
            "submitted": r["submitted"],
            "drafts": r["drafts"],
        }
        for r in rows
    ]


def by_kind(items: QuerySet) -> list[dict]:
    """By top-level kind of organisation: the parent of the organisation's kind, or the
    kind itself when it has no parent."""
    kind = "organization__kind"
    rows = _counted(
        items.annotate(
            top_code=Coalesce(f"{kind}__parent__code", f"{kind}__code"),
            top_name=Coalesce(f"{kind}__parent__name", f"{kind}__name"),
            top_name_en=Coalesce(f"{kind}__parent__name_en", f"{kind}__name_en"),
            top_order=Coalesce(f"{kind}__parent__order", f"{kind}__order"),
        ).values("top_code", "top_name", "top_name_en", "top_order")
    ).order_by("top_order")
    return [
        {
            "code": r["top_code"],
            "name": _name(r, "top_name"),
            "submitted": r["submitted"],
            "drafts": r["drafts"],
        }
        for r in rows
    ]


@dataclass
class Matrix:
    states: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    total: int = 0


def state_by_direction(items: QuerySet) -> Matrix:
    """Directions × states (every state a column, zeros included), with totals."""
    cells = (
        items.values(
            "nomination__direction__number",
            "nomination__direction__title",
            "nomination__direction__title_en",
            "state",
        )
        .annotate(count=Count("id"))
        .order_by("nomination__direction__number")
    )
    matrix = Matrix(states=list(S.choices))
    rows: dict[int, dict] = {}
    for cell in cells:
        number = cell["nomination__direction__number"]
        row = rows.setdefault(
            number,
            {
                "number": number,
                "title": _name(cell, "nomination__direction__title"),
                "by_state": {},
            },
        )
        row["by_state"][cell["state"]] = cell["count"]
    for row in rows.values():
        row["counts"] = [row["by_state"].get(value, 0) for value, _ in matrix.states]
        row["total"] = sum(row["counts"])
        matrix.rows.append(row)
    matrix.column_totals = [
        sum(row["counts"][i] for row in matrix.rows) for i in range(len(matrix.states))
    ]
    matrix.total = sum(matrix.column_totals)
    return matrix


def daily_intake(items: QuerySet) -> list[dict]:
    """Applications first submitted per Moscow day and the running total; days without
    submissions between the first and the last are listed with zero."""
    rows = (
        items.filter(SUBMITTED)
        .annotate(day=TruncDate("submitted_at", tzinfo=MOSCOW))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    counts = {r["day"]: r["count"] for r in rows}
    if not counts:
        return []
    days, day, running = [], min(counts), 0
    while day <= max(counts):
        running += counts.get(day, 0)
        days.append({"day": day, "count": counts.get(day, 0), "cumulative": running})
        day += datetime.timedelta(days=1)
    return days


# The curve as an SVG bar chart: geometry computed here, the template only draws it.
CHART_WIDTH, CHART_HEIGHT = 720, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 52, 12, 28


def _scale_top(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 × 10ⁿ)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def curve_chart(days: list[dict]) -> dict | None:
    """Bars of daily counts (left axis) and a line of the running total (right axis)."""
    if not days:
        return None
    plot_w = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bottom = MARGIN_TOP + plot_h
    daily_top = _scale_top(max(d["count"] for d in days) or 1)
    total_top = _scale_top(days[-1]["cumulative"] or 1)
    slot = plot_w / len(days)
    bar_w = max(slot * 0.8, 1)
    bars, points = [], []
    label_every = max(1, round(len(days) / 8))
    for i, d in enumerate(days):
        height = plot_h * d["count"] / daily_top
        x = MARGIN_LEFT + i * slot + (slot - bar_w) / 2
        bars.append(
            {
                **d,
                "x": round(x, 1),
                "y": round(bottom - height, 1),
                "width": round(bar_w, 1),
                "height": round(height, 1),
                "label_x": round(x + bar_w / 2, 1),
                "labelled": i % label_every == 0 or i == len(days) - 1,
            }
        )
        cx = MARGIN_LEFT + (i + 0.5) * slot
        cy = bottom - plot_h * d["cumulative"] / total_top
        points.append(f"{cx:.1f},{cy:.1f}")
    ticks = [
        {
            "y": round(bottom - plot_h * f, 1),
            "daily": round(daily_top * f),
            "total": round(total_top * f),
        }
        for f in (0, 0.5, 1)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "line": " ".join(points),
        "ticks": ticks,
        "left": MARGIN_LEFT,
        "right": CHART_WIDTH - MARGIN_RIGHT,
        "bottom": bottom,
        "label_y": bottom + 18,
        "left_text": MARGIN_LEFT - 6,
        "right_text": CHART_WIDTH - MARGIN_RIGHT + 6,
    }


@dataclass
class IntakeReport:
    totals: dict
    states: list[dict]
    directions: list[dict]
    nominations: list[dict]
    regions: list[dict]
    kinds: list[dict]
    matrix: Matrix
    days: list[dict]
    chart: dict | None


def report(edition, **filters) -> IntakeReport:
    """Everything the dashboard shows: eight aggregate queries, whatever the volume."""
    items = applications(edition, **filters)
    days = daily_intake(items)
    return IntakeReport(
        totals=totals(items),
        states=by_state(items),
        directions=by_direction(items),
        nominations=by_nomination(items),
        regions=by_region(items),
        kinds=by_kind(items),
        matrix=state_by_direction(items),
        days=days,
        chart=curve_chart(days),
    )
