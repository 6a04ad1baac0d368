"""Overload and outages: 503 with Retry-After, and nothing acknowledged that is not stored."""

import threading
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from smartdialog.core.overload import OverloadMiddleware, outage
from smartdialog.reference.models import Region
from smartdialog.voting.identity import SESSION_KEY
from smartdialog.voting.models import Vote, Voter
from smartdialog.voting.views.citizen import CHOICES_KEY
from tests.voting.citizen.conftest import make_ballot
from tests.voting.confirming import post_confirm

pytestmark = pytest.mark.django_db


def _middleware(view, **limits):
    with override_settings(**limits):
        return OverloadMiddleware(view)


@pytest.fixture
def voter_ready(client):
    """A verified voter with a region whose picks wait in the session (the confirm step)."""
    ballot = make_ballot()
    voter = Voter.objects.create(
        phone="+79001234567", region=Region.objects.get(code="77"), verified_at=timezone.now()
    )
    section = ballot.sections.order_by("order").first()
    session = client.session
    session[SESSION_KEY] = voter.pk
    session[CHOICES_KEY] = {
        "ballot": ballot.pk,
        "choices": {str(section.pk): [section.entries.first().pk]},
    }
    session.save()
    return voter


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_outage_is_a_503_with_retry_after(client, error):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=error("the database system is shutting down"),
    ):
        response = client.get("/vote/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    with translation.override("ru"):
        assert response.content == outage().content


def test_a_vote_whose_insert_fails_is_not_acknowledged_and_can_be_cast_again(client, voter_ready):
    with mock.patch(
        "smartdialog.voting.services._insert",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        refused = post_confirm(client)
    assert (refused.status_code, refused["Retry-After"]) == (503, "10")
    assert "Location" not in refused
    assert Vote.objects.count() == 0
    assert client.session[CHOICES_KEY]  # the picks are kept for the retry
    accepted = post_confirm(client)
    assert (accepted.status_code, accepted["Location"]) == (302, "/vote/done/")
    assert list(Vote.objects.values_list("voter_id", flat=True)) == [voter_ready.pk]


def test_other_errors_are_left_to_django():
    middleware = _middleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("a bug")) is None


def test_shedding_is_off_by_default():
    middleware = _middleware(lambda request: HttpResponse("ok"))
    assert middleware.places is None
    assert middleware(RequestFactory().get("/")).status_code == 200


def test_a_request_over_the_in_flight_limit_gets_503_and_the_view_never_runs():
    inside, release = threading.Event(), threading.Event()
    calls = []

    def view(request):
        calls.append(request.path)
        inside.set()
        release.wait(5)
        return HttpResponse("ok")

    middleware = _middleware(view, OVERLOAD_MAX_IN_FLIGHT=1, OVERLOAD_QUEUE_MS=10)
    factory = RequestFactory()
    first = threading.Thread(target=lambda: middleware(factory.get("/vote/")))
    first.start()
    assert inside.wait(5)
    try:
        response = middleware(factory.post("/vote/confirm/"))
    finally:
        release.set()
        first.join(5)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert calls == ["/vote/"]  # the shed request never reached the view
    # The place is free again once the first request is answered.
    assert middleware(factory.get("/vote/")).status_code == 200
    assert calls == ["/vote/", "/vote/"]


def test_healthz_is_never_shed():
    release = threading.Event()
    middleware = _middleware(
        lambda request: (release.wait(5), HttpResponse("ok"))[1],
        OVERLOAD_MAX_IN_FLIGHT=1,
        OVERLOAD_QUEUE_MS=10,
    )
    factory = RequestFactory()
    first = threading.Thread(target=lambda: middleware(factory.get("/vote/")))
    first.start()
    try:
        release_later = threading.Timer(0.5, release.set)
        release_later.start()
        assert middleware(factory.get("/healthz")).status_code == 200
    finally:
        release.set()
        first.join(5)


def test_bare_bench_endpoint_is_a_404_by_default(client):
    response = client.post("/bench/bare-vote/", {"voter": 1, "region": 1, "section": 1})
    assert response.status_code == 404


@pytest.mark.postgres
@override_settings(BENCH_ENDPOINTS=True)
def test_bare_bench_endpoint_inserts_once_when_enabled(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_vote (voter_id bigint, section_id bigint, "
            "entry_id bigint, region_id bigint, cast_at timestamptz, "
            "UNIQUE (voter_id, section_id))"
        )
    client.cookies.clear()
    data = {"voter": 7, "region": 3, "section": [1, 2], "entry": [11, 21]}
    first = client.post("/bench/bare-vote/", data)
    again = client.post("/bench/bare-vote/", data)
    bad = client.post("/bench/bare-vote/", {"voter": 7, "region": 3, "section": [1]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT voter_id, section_id, entry_id FROM bench_vote ORDER BY 2")
        rows = cursor.fetchall()
    assert (first.content, again.content) == (b"recorded 2", b"recorded 0")
    assert bad.status_code == 400
    assert rows == [(7, 1, 11), (7, 2, 21)]


@pytest.mark.postgres
@override_settings(BENCH_ENDPOINTS=True)
def test_bare_bench_endpoint_into_the_votes_table(client, edition):
    from smartdialog.voting.models import Vote
    from tests.voting.core.conftest import make_ballot, make_voter, sections

    ballot = make_ballot(edition)
    (health, (first, _)), (education, (third, _)) = sections(ballot)
    voter = make_voter("50")
    data = {
        "into": "votes",
        "ballot": ballot.pk,
        "voter": voter.pk,
        "region": voter.region_id,
        "section": [health.pk, education.pk],
        "entry": [first.pk, third.pk],
    }
    client.cookies.clear()
    answers = [client.post("/bench/bare-vote/", data).content for _ in range(2)]
    no_ballot = client.post("/bench/bare-vote/", {**data, "ballot": ""})
    assert answers == [b"recorded 2", b"recorded 0"]
    assert no_ballot.status_code == 400
    votes = Vote.objects.filter(voter=voter).order_by("section__order")
    assert [(v.entry_id, v.region.code, v.slot) for v in votes] == [
        (first.pk, "50", 1),
        (third.pk, "50", 1),
    ]
    assert len({v.receipt for v in votes}) == 2
