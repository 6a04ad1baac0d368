"""What one confirm costs: SQL statements and rate-limit cache reads (pinned, so the hot path
stays lean; `bench/vote_load.py` measures it over HTTP)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smartdialog.reference.models import Region
from smartdialog.voting import services
from smartdialog.voting.identity import SESSION_KEY
from smartdialog.voting.models import Vote, Voter
from tests.voting.confirming import confirmation_data, post_confirm


def _voter_session(client, ballot, phone):
    voter = Voter.objects.create(
        phone=phone, region=Region.objects.get(code="77"), verified_at=timezone.now()
    )
    client.cookies.clear()
    session = client.session
    session[SESSION_KEY] = voter.pk
    session["vote_choices"] = {
        "ballot": ballot.pk,
        "choices": {
            str(s.pk): [s.entries.order_by("order").first().pk] for s in ballot.sections.all()
        },
    }
    session.save()
    return voter


def _confirm(client, monkeypatch, ip):
    """The confirm POST: (response, SQL other than the session's and savepoints, cache calls)."""
    calls = []
    for name in ("get", "get_many", "add", "incr", "set"):
        original = getattr(cache, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, name, counted)
    data = confirmation_data(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("vote:confirm"), data, REMOTE_ADDR=ip)
    monkeypatch.undo()
    sql = [
        q["sql"].split(" ", 1)[0] + " " + q["sql"].split('"', 2)[1]
        for q in queries.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    return response, sql, calls


@pytest.mark.django_db
def test_a_confirm_asks_nothing_it_need_not_and_inserts_once(client, ballot, monkeypatch):
    services.forget_layouts()
    first = _voter_session(client, ballot, "+79001234567")
    response, sql, calls = _confirm(client, monkeypatch, "203.0.113.7")
    assert response.status_code == 302
    # the layout (sections, entries, choices per section), then one INSERT that checks the
    # window and the voter as it writes
    assert sql == [
        "SELECT voting_ballotsection",
        "SELECT voting_ballotentry",
        "SELECT voting_ballot",
        "INSERT voting_vote",
    ]
    assert calls.count("get_many") == 1  # every rate-limit counter read at once
    assert first.votes.count() == 2

    # Once a vote of the ballot has committed its layout is fixed: read no more.
    second = _voter_session(client, ballot, "+79001234568")
    response, sql, calls = _confirm(client, monkeypatch, "203.0.113.8")
    assert response.status_code == 302
    assert sql == ["INSERT voting_vote"]
    assert second.votes.count() == 2


@pytest.mark.django_db
def test_a_second_confirm_is_refused_by_the_constraint_with_the_receipts(
    client, ballot, monkeypatch
):
    voter = _voter_session(client, ballot, "+79001234567")
    post_confirm(client, REMOTE_ADDR="203.0.113.7")
    receipts = list(voter.votes.order_by("section__order").values_list("receipt", flat=True))
    session = client.session
    session["vote_choices"] = {
        "ballot": ballot.pk,
        "choices": {
            str(s.pk): [s.entries.order_by("order").last().pk] for s in ballot.sections.all()
        },
    }
    session.save()
    response = post_confirm(client, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(receipt in html for receipt in receipts)
    assert Vote.objects.filter(voter=voter).count() == 2


def test_a_session_update_on_redis_is_one_set_xx(settings, redis_cache, monkeypatch):
    from django.contrib.sessions.backends.base import UpdateError

    from smartdialog.core.sessions import SessionStore

    settings.SESSION_CACHE_ALIAS = "redis"
    store = SessionStore()
    store["vote_voter_id"] = 7
    store.create()
    key = store.session_key
    store = SessionStore(key)
    assert store["vote_voter_id"] == 7
    store["vote_choices"] = {"ballot": 1}

    def no_get(*args, **kwargs):
        raise AssertionError("an update needs no GET")

    monkeypatch.setattr(redis_cache, "get", no_get)
    store.save()
    monkeypatch.undo()
    assert SessionStore(key).load() == {"vote_voter_id": 7, "vote_choices": {"ballot": 1}}
    ttl = redis_cache.client.get_client().ttl(redis_cache.make_key(store.cache_key))
    assert 0 < ttl <= store.get_expiry_age()

    redis_cache.delete(store.cache_key)  # gone meanwhile (expired, logged out elsewhere)
    store["vote_choices"] = {"ballot": 2}
    with pytest.raises(UpdateError):
        store.save()
    assert redis_cache.get(store.cache_key) is None


@pytest.mark.django_db
def test_on_postgresql_the_cast_is_planned_once_per_connection(client, ballot):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for n in range(7):  # psycopg prepares a statement at its 5th run on a connection
        _voter_session(client, ballot, f"+7900765432{n}")
        assert post_confirm(client, REMOTE_ADDR="203.0.113.9").status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['INSERT INTO "voting_vote"%'],
        )
        assert cursor.fetchone()[0] == 1
    assert Vote.objects.filter(ballot=ballot).count() == 7 * 2
