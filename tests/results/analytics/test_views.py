import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.results.public.conftest import put_many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """Pages and messages are asserted in English, the msgids (Russian is the catalogue's)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _url(edition, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("results_admin:analytics", args=[edition.year]) + (f"?{query}" if query else "")


def test_organiser_sees_intake_funnel_and_the_vote_with_maps(client, organiser, funnel, entries):
    put_many(entries[0], {"78": 2})
    client.force_login(organiser)
    response = client.get(_url(funnel))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="cartogram"') == 2
    assert 'data-testid="table-funnel-regions"' in html
    assert 'data-region="78" href="?region=78"' in html
    funnel_rows = response.context["funnel_tables"][1]["table"].rows
    assert [(r["region"], r["winners"]) for r in funnel_rows] == [
        ("Moscow", 1),
        ("Republic of Tatarstan", 0),
    ]
    assert response.context["figures"].counted == 2


def test_cut_by_region_shows_only_that_regions_votes(client, organiser, edition, entries):
    h1, h2, _e1, _e2 = entries
    put_many(h1, {"78": 3, "77": 1})
    put_many(h2, {"77": 2})
    client.force_login(organiser)
    response = client.get(_url(edition, region="77"))
    assert response.status_code == 200
    assert response.context["figures"].counted == 3
    assert response.context["params"] == {"region": "77"}
    assert '<option value="77" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "00"}, "There is no region with the code «00»"),
        ({"direction": "9"}, "The edition has no direction number «9»"),
        ({"nomination": "7.7"}, "The edition has no nomination «7.7»"),
        ({"from": "07.11.2023"}, "«07.11.2023» is not a date"),
        ({"table": "nope", "format": "csv"}, "This page has no table «nope»"),
        ({"table": "funnel-regions", "format": "pdf"}, "Exports are available as CSV or XLSX"),
    ],
)
def test_bad_filters_get_a_clear_message_and_no_figures(
    client, organiser, edition, params, message
):
    client.force_login(organiser)
    response = client.get(_url(edition, **params))
    assert response.status_code == 400
    assert message in response.context["error"]
    assert "figures" not in response.context
    assert 'data-testid="table-funnel-regions"' in response.content.decode()  # the rest stays


def test_csv_export_of_a_funnel_table(client, organiser, funnel):
    client.force_login(organiser)
    response = client.get(_url(funnel, table="funnel-regions", format="csv"))
    assert response.status_code == 200
    assert 'filename="smartdialog-2030-funnel-regions.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=text.split("\n")[0][len("Region")]))
    assert rows[1][:6] == ["Moscow", "3", "2", "67", "1", "1"]


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_only_organisers_see_analytics(client, request, funnel, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(funnel)).status_code == 403
    assert client.get(_url(funnel, table="funnel-regions", format="csv")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, edition):
    response = client.get(_url(edition))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
