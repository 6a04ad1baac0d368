import datetime

import pytest

from smartdialog.organizations.models import Organization
from smartdialog.reference.models import ApplicantKind, Region
from smartdialog.submissions import analytics
from smartdialog.submissions.enums import SubmissionState
from tests.factories import moscow

from .conftest import build

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def six(edition, nominations, moscow_institution, region_foundation):
    """Six passports: three submitted (one since admitted, one returned), two drafts and one
    draft withdrawn before it was ever submitted."""
    n, moscow_org, ngo = nominations, moscow_institution, region_foundation
    may = moscow(edition.year, 5, 10, 12)
    return build(
        edition,
        [
            (n["1.1"], moscow_org, S.SUBMITTED, may),
            (n["1.2"], moscow_org, S.ADMITTED, may),
            (n["2.1"], ngo, S.RETURNED, may),
            (n["2.1"], ngo, S.DRAFT, None),
            (n["1.1"], ngo, S.DRAFT, None),
            (n["1.1"], moscow_org, S.WITHDRAWN, None),
        ],
        by=moscow_org.created_by,
    )


def test_totals_count_drafts_beside_the_submitted(edition, six):
    totals = analytics.totals(analytics.applications(edition))
    assert totals == {
        "total": 6,
        "submitted": 3,
        "drafts": 2,
        "awaiting": 1,
        "returned": 1,
        "admitted": 1,
        "rejected": 0,
        "withdrawn": 1,
    }


def test_by_state_lists_every_state_in_order(edition, six):
    states = analytics.by_state(analytics.applications(edition))
    assert [r["state"] for r in states] == S.values
    assert {r["state"]: r["count"] for r in states} == {
        "draft": 2,
        "submitted": 1,
        "in_moderation": 0,
        "returned": 1,
        "resubmitted": 0,
        "admitted": 1,
        "rejected": 0,
        "withdrawn": 1,
    }


def test_cuts_by_direction_nomination_region_and_kind(edition, six):
    items = analytics.applications(edition)
    assert [
        (r["number"], r["title"], r["submitted"], r["drafts"])
        for r in analytics.by_direction(items)
    ] == [(1, "Здравоохранение", 2, 1), (2, "Образование", 1, 1)]
    assert [(r["code"], r["submitted"], r["drafts"]) for r in analytics.by_nomination(items)] == [
        ("1.1", 1, 1),
        ("1.2", 1, 0),
        ("2.1", 1, 1),
    ]
    regions = analytics.by_region(items)
    assert [(r["code"], r["district"], r["submitted"], r["drafts"]) for r in regions] == [
        ("77", "Центральный федеральный округ", 2, 0),
        ("50", "Центральный федеральный округ", 1, 2),
    ]
    assert [(r["code"], r["submitted"], r["drafts"]) for r in analytics.by_kind(items)] == [
        ("authority", 2, 0),
        ("ngo", 1, 2),
    ]


def test_a_kind_without_parent_counts_as_itself(edition, nominations, moscow_institution):
    """The form asks for a sub-kind, but rows loaded earlier may hold a group itself."""
    org = moscow_institution
    Organization.objects.filter(pk=org.pk).update(kind=ApplicantKind.objects.get(code="business"))
    build(
        edition,
        [(nominations["1.1"], org, S.SUBMITTED, moscow(edition.year, 5, 1))],
        by=org.created_by,
    )
    rows = analytics.by_kind(analytics.applications(edition))
    assert [(r["code"], r["submitted"]) for r in rows] == [("business", 1)]


def test_state_by_direction_matrix_has_totals(edition, six):
    matrix = analytics.state_by_direction(analytics.applications(edition))
    columns = [value for value, _label in matrix.states]
    first, second = matrix.rows
    assert first["number"] == 1
    assert dict(zip(columns, first["counts"], strict=True)) == {
        "draft": 1,
        "submitted": 1,
        "in_moderation": 0,
        "returned": 0,
        "resubmitted": 0,
        "admitted": 1,
        "rejected": 0,
        "withdrawn": 1,
    }
    assert (first["total"], second["total"], matrix.total) == (4, 2, 6)
    assert matrix.column_totals[columns.index("draft")] == 2


def test_filters_apply_to_every_cut(edition, six, nominations):
    ngo = ApplicantKind.objects.get(code="ngo")
    items = analytics.applications(edition, kind=ngo)
    assert analytics.totals(items)["total"] == 3
    assert [r["code"] for r in analytics.by_region(items)] == ["50"]
    items = analytics.applications(
        edition, region=Region.objects.get(code="77"), direction=nominations["1.1"].direction
    )
    assert analytics.totals(items)["total"] == 3
    totals = analytics.totals(
        analytics.applications(edition, state=S.DRAFT, nomination=nominations["2.1"])
    )
    assert (totals["total"], totals["drafts"], totals["submitted"]) == (1, 1, 0)


def test_another_editions_applications_are_not_counted(edition, six):
    from tests.factories import make_edition

    other = make_edition(2031)
    assert analytics.totals(analytics.applications(other))["total"] == 0


def test_daily_curve_uses_the_moscow_day(edition, nominations, moscow_institution):
    year, n = edition.year, nominations["1.1"]
    build(
        edition,
        [
            (n, moscow_institution, S.SUBMITTED, moscow(year, 5, 12, 23, 30)),  # 20:30 UTC
            (n, moscow_institution, S.SUBMITTED, moscow(year, 5, 13, 0, 30)),  # 21:30 UTC on 12th
            (n, moscow_institution, S.ADMITTED, moscow(year, 5, 15, 9)),
            (n, moscow_institution, S.DRAFT, None),
        ],
        by=moscow_institution.created_by,
    )
    days = analytics.daily_intake(analytics.applications(edition))
    assert [(d["day"], d["count"], d["cumulative"]) for d in days] == [
        (datetime.date(year, 5, 12), 1, 1),
        (datetime.date(year, 5, 13), 1, 2),
        (datetime.date(year, 5, 14), 0, 2),
        (datetime.date(year, 5, 15), 1, 3),
    ]


def test_curve_chart_geometry_stays_inside_the_plot():
    days = [
        {"day": datetime.date(2030, 5, d), "count": c, "cumulative": t}
        for d, c, t in ((1, 3, 3), (2, 0, 3), (3, 7, 10))
    ]
    chart = analytics.curve_chart(days)
    tallest = max(chart["bars"], key=lambda b: b["count"])
    assert tallest["count"] == 7
    assert chart["ticks"][-1] == {"y": analytics.MARGIN_TOP, "daily": 10, "total": 10}
    for bar in chart["bars"]:
        assert chart["left"] <= bar["x"] and bar["x"] + bar["width"] <= chart["right"]
        assert bar["y"] + bar["height"] == pytest.approx(chart["bottom"])
    assert chart["bars"][1]["height"] == 0
    assert len(chart["line"].split()) == 3
    assert analytics.curve_chart([]) is None
