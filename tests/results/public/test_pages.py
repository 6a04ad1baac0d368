"""The public results pages: who sees them when, what they show, 404s, bad cuts, publishing."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from smartdialog.accounts.models import Role
from smartdialog.audit.models import AuditEntry
from smartdialog.results import services
from smartdialog.results.models import Publication
from smartdialog.results.views import public as views
from smartdialog.voting import sealing
from smartdialog.voting.services import exclude
from tests.factories import give_role, make_user

from .conftest import DAY, put, put_many

pytestmark = pytest.mark.django_db

URL = "/results/2030/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def voted(closed_ballot, entries):
    h1, h2, e1, _e2 = entries
    put_many(h1, {"78": 3, "77": 2})
    put_many(h2, {"50": 1})
    put(e1, "87")
    return closed_ballot


@pytest.fixture
def published(voted, edition, organiser):
    services.publish(edition, by=organiser)
    return voted


def text(response) -> str:
    return response.content.decode()


def test_unpublished_results_are_a_404_with_a_reason(english, voted):
    response = english.get(URL)
    assert response.status_code == 404
    assert "The results of the 2030 vote are not published yet." in text(response)


def test_an_edition_without_a_vote_is_a_404(english, edition):
    response = english.get(URL)
    assert (response.status_code, "no vote took place" in text(response)) == (404, True)


def test_organisers_see_a_preview_before_publication(english, voted, organiser):
    english.force_login(organiser)
    response = english.get(URL)
    assert response.status_code == 200
    assert 'data-testid="preview-banner"' in text(response)
    assert "Publish the results" in text(response)


def test_published_results_rank_practices_with_votes_share_and_margin(english, published, entries):
    response = english.get(URL)
    page = text(response)
    assert response.status_code == 200
    assert "preview-banner" not in page and "Publish the results" not in page
    assert "Voters: 7. Votes counted: 7; excluded after review: 0." in page
    ranking = page[page.index('data-testid="table-ranking-1"') :]
    ranking = ranking[: ranking.index("</table>")]
    # Практика 1.1: 5 of 6 votes, 4 ahead of the next, 5 times the other's 1.
    assert [t in ranking for t in ("Практика 1.1", "83.3", "16.7", ">4<", "5.0")] == [True] * 5
    assert ranking.index("Практика 1.1") < ranking.index("Практика 1.2")
    assert f"/results/2030/practice/{entries[0].submission_id}/" in ranking


def test_live_counts_only_while_the_vote_runs_and_the_switch_is_on(
    english, closed_ballot, entries, django_capture_on_commit_callbacks
):
    assert english.get(URL).status_code == 404
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        closed_ballot.live_results = True
        closed_ballot.closes_at = now + DAY
        closed_ballot.save()
    put(entries[0])
    response = english.get(URL)
    assert (response.status_code, 'data-testid="live-banner"' in text(response)) == (200, True)
    with django_capture_on_commit_callbacks(execute=True):
        closed_ballot.closes_at = now - datetime.timedelta(minutes=1)
        closed_ballot.save()
    assert english.get(URL).status_code == 404


def test_live_counts_move_when_a_batch_is_sealed(
    english, closed_ballot, entries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closed_ballot.live_results = True
        closed_ballot.closes_at = timezone.now() + DAY
        closed_ballot.save()
    put(entries[0])
    assert "Votes counted: 1;" in text(english.get(URL))
    put(entries[0])
    assert "Votes counted: 1;" in text(english.get(URL))  # the page moves with the log
    with django_capture_on_commit_callbacks(execute=True):
        sealing.seal(closed_ballot)
    assert "Votes counted: 2;" in text(english.get(URL))


def test_practice_page_shows_regions_districts_days_and_hours(english, published, entries):
    response = english.get(f"{URL}practice/{entries[0].submission_id}/")
    page = text(response)
    assert response.status_code == 200
    slug = f"practice-{entries[0].submission_id}"
    for part in ("regions", "districts", "days", "hours"):
        assert f'data-testid="table-{slug}-{part}"' in page
    assert 'class="cartogram"' in page and 'class="bars"' in page
    by_region = page[page.index(f'data-testid="table-{slug}-regions"') :]
    assert by_region.index("Saint Petersburg") < by_region.index("Moscow")


def test_unknown_practice_and_region_are_404s_with_a_reason(english, published):
    missing = english.get(f"{URL}practice/999999/")
    assert (missing.status_code, "This practice is not on the 2030 ballot." in text(missing)) == (
        404,
        True,
    )
    region = english.get(f"{URL}regions/99/")
    assert (region.status_code, "There is no region with the code «99»." in text(region)) == (
        404,
        True,
    )


def test_regions_page_maps_every_subject_and_names_the_population_source(english, published):
    page = text(english.get(f"{URL}regions/"))
    assert page.count('class="tile"') == 89
    assert 'href="/results/2030/regions/87/"' in page
    assert "Rosstat" in page
    active = page[page.index('data-testid="table-active-regions"') :]
    assert active.index("Saint Petersburg") < active.index("Moscow")


def test_region_page_shows_its_votes_per_practice(english, published):
    page = text(english.get(f"{URL}regions/78/"))
    assert "Voters from the region: 3; votes counted: 3." in page
    assert "Практика 1.1" in page


def test_a_bad_filter_value_is_explained(english, published):
    response = english.get(URL, {"from": "7 ноября"})
    assert response.status_code == 400
    assert "«7 ноября» is not a date: write it as YYYY-MM-DD" in text(response)


def test_each_table_links_its_download_with_the_page_cut(english, published):
    page = text(english.get(f"{URL}regions/78/"))
    assert 'href="/results/2030/data/ranking-1.csv?region=78"' in page
    response = english.get("/results/2030/data/ranking-1.csv", {"region": "78"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("1;Практика 1.1;") and lines[1].split(";")[4:] == [
        "3",
        "100,0",
        "3",
        "",
        "0",
    ]


def test_a_cached_page_shows_an_exclusion_at_once(
    english, published, entries, organiser, django_capture_on_commit_callbacks
):
    assert "Votes counted: 7; excluded after review: 0." in text(english.get(URL))
    with django_capture_on_commit_callbacks(execute=True):
        exclude(entries[0].votes.first(), reason="Кластер по IP", by=organiser)
    assert "Votes counted: 6; excluded after review: 1." in text(english.get(URL))


def test_a_sessionless_visitor_gets_the_whole_page_from_the_cache_with_a_valid_token(
    published, django_assert_num_queries
):
    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get(URL)
    with django_assert_num_queries(0):
        second = visitor.get(URL)
    assert second.content.count(b"table-ranking-") == first.content.count(b"table-ranking-") == 2
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(second))[1]
    assert (len(token), views.CSRF_MARK in text(second)) == (64, False)
    switched = visitor.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert (switched.status_code, switched.cookies[settings.LANGUAGE_COOKIE_NAME].value) == (
        302,
        "en",
    )


def test_organiser_publishes_and_withdraws_audited(client, voted, edition, organiser):
    client.force_login(organiser)
    client.post(f"{URL}publish/")
    assert Publication.objects.get(edition=edition).published_by == organiser
    assert client.logout() is None and client.get(URL).status_code == 200
    client.force_login(organiser)
    client.post(f"{URL}withdraw/")
    assert Publication.objects.get(edition=edition).published_at is None
    actions = AuditEntry.objects.filter(edition=edition, action__startswith="results.")
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "results.published",
        "results.withdrawn",
    ]


def test_outsiders_cannot_publish_or_withdraw(client, voted, published, edition, outsider):
    client.force_login(outsider)
    assert client.post(f"{URL}withdraw/").status_code == 403
    assert Publication.objects.get(edition=edition).published_at is not None
    services.withdraw(edition, by=make_organiser(edition))
    assert client.post(f"{URL}publish/").status_code == 403
    assert Publication.objects.get(edition=edition).published_at is None


def test_publishing_waits_for_the_vote_to_close(english, edition, closed_ballot, organiser):
    closed_ballot.closes_at = timezone.now() + DAY
    closed_ballot.save()
    english.force_login(organiser)
    response = english.post(f"{URL}publish/", follow=True)
    assert "publish the results after it closes" in text(response)
    assert not Publication.objects.filter(edition=edition, published_at__isnull=False).exists()


def make_organiser(edition):
    user = make_user("second-organiser@example.ru")
    give_role(user, edition, Role.ORGANISER)
    return user
