import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from smartdialog.results import analytics
from smartdialog.results.figures import Filters
from smartdialog.results.tables import Table
from tests.results.public.conftest import put_many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _rows(table: Table, *keys) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in table.rows]


def test_intake_counts_submitted_and_drafts_by_direction_and_region(funnel):
    assert _rows(analytics.intake_by_direction(funnel), "number", "submitted", "drafts") == [
        (1, 5, 1)
    ]
    assert _rows(analytics.intake_by_region(funnel), "code", "region", "submitted", "drafts") == [
        ("77", "Moscow", 3, 1),
        ("16", "Republic of Tatarstan", 2, 0),
    ]
    assert analytics.submitted_by_region(funnel) == {"77": 3, "16": 2}


def test_funnel_by_region_counts_each_step_and_only_confirmed_winners(funnel):
    table = analytics.funnel_by_region(funnel)
    keys = ("region", "submitted", "admitted", "admitted_share", "finalists", "winners")
    assert _rows(table, *keys) == [
        ("Moscow", 3, 2, 67, 1, 1),
        ("Republic of Tatarstan", 2, 2, 100, 1, 0),
    ]


def test_funnel_by_direction_leaves_drafts_out(funnel):
    table = analytics.funnel_by_direction(funnel)
    keys = ("number", "direction", "submitted", "admitted", "finalists", "winners")
    assert _rows(table, *keys) == [(1, "Healthcare", 5, 4, 2, 1)]


def test_funnel_of_an_edition_without_applications_is_empty(edition):
    assert list(analytics.funnel_by_region(edition).rows) == []
    assert list(analytics.funnel_by_direction(edition).rows) == []


def test_vote_cut_by_region_counts_only_that_region(edition, entries):
    h1, h2, e1, _e2 = entries
    put_many(h1, {"78": 3, "77": 1})
    put_many(h2, {"77": 2})
    put_many(e1, {"16": 4})
    everything = analytics.vote_cut(edition)
    assert everything.values() == {"16": 4, "77": 3, "78": 3}
    moscow = analytics.vote_cut(edition, Filters(region="77"))
    assert moscow.values() == {"77": 3}
    ranking = analytics.vote_tables(edition, moscow)["ranking-1"]
    assert _rows(ranking, "practice", "votes") == [("Практика 1.2", 2), ("Практика 1.1", 1)]


def test_vote_cut_by_direction_keeps_its_sections_only(edition, entries):
    h1, _h2, e1, _e2 = entries
    put_many(h1, {"77": 1})
    put_many(e1, {"16": 2})
    cut = analytics.vote_cut(edition, Filters(direction=2))
    assert [s.direction_number for s in cut.figures.sections] == [2]
    assert cut.values() == {"16": 2}


def test_analytics_tables_are_tables_for_the_exports(funnel, entries):
    found = analytics.tables(funnel)
    assert {"intake-directions", "intake-regions", "funnel-directions", "funnel-regions"} <= set(
        found
    )
    assert {"totals", "ranking-1", "ranking-2", "regions", "districts", "days"} <= set(found)
    assert all(isinstance(t, Table) and t.slug == slug for slug, t in found.items())


def test_tables_read_the_cut_from_query_parameters(edition, entries):
    put_many(entries[0], {"77": 2, "78": 1})
    regions = analytics.tables(edition, {"region": "78"})["regions"]
    assert [(r["code"], r["votes"]) for r in regions.rows if r["votes"]] == [("78", 1)]
    with pytest.raises(ValidationError, match="«99»"):
        analytics.tables(edition, {"region": "99"})


def test_analytics_tables_without_a_vote_are_the_intake_ones(funnel):
    assert set(analytics.tables(funnel)) == {
        "intake-directions",
        "intake-regions",
        "funnel-directions",
        "funnel-regions",
    }
