"""The confirm POST with its signed confirmation: no session read or write on the way to a
cast, and a token that is forged, expired, another session's or outlived its session is
refused with a message (nothing cast, the picks kept)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.reference.models import Region
from smartdialog.voting import confirmation, ratelimit
from smartdialog.voting.identity import SESSION_KEY
from smartdialog.voting.models import Vote, Voter
from smartdialog.voting.views.citizen import CHOICES_KEY
from tests.voting.confirming import confirmation_data

STALE = (
    "This confirmation page has expired or was opened in another session. Check your choice "
    "below and cast your vote again."
)


def _ready(client, ballot, phone="+79001234567"):
    """A verified voter with a region whose picks (first practice of each section) wait."""
    voter = Voter.objects.create(
        phone=phone, region=Region.objects.get(code="77"), verified_at=timezone.now()
    )
    session = client.session
    session[SESSION_KEY] = voter.pk
    session[CHOICES_KEY] = {
        "ballot": ballot.pk,
        "choices": {
            str(s.pk): [s.entries.order_by("order").first().pk] for s in ballot.sections.all()
        },
    }
    session.save()
    return voter


def _refused_as_stale(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert _(STALE) in html
    assert "Эта страница подтверждения устарела или открыта в другом сеансе." in html
    assert 'name="confirmation" value="' in html  # a fresh one: confirming again works
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_the_page_signs_what_it_shows_and_the_post_casts_it(client, ballot):
    voter = _ready(client, ballot)
    page = client.get(reverse("vote:confirm"))
    assert "no-store" in page["Cache-Control"]  # the page with the voter's picks is not kept
    html = page.content.decode()
    token = html.split('name="confirmation" value="', 1)[1].split('"', 1)[0]
    confirmed = confirmation.read(token, client.session.session_key)
    assert confirmed.voter_id == voter.pk and confirmed.ballot_id == ballot.pk
    assert confirmed.choices == client.session[CHOICES_KEY]["choices"]
    response = client.post(reverse("vote:confirm"), {"confirmation": token})
    assert response["Location"] == reverse("vote:done")
    assert voter.votes.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["missing", "forged", "other session", "expired"])
def test_a_bad_token_casts_nothing_and_asks_to_confirm_again(client, ballot, settings, how):
    _ready(client, ballot)
    data = confirmation_data(client)
    if how == "missing":
        data = {}
    elif how == "forged":  # the same payload with another practice, the signature kept
        payload, rest = data["confirmation"].split(":", 1)
        data["confirmation"] = payload[:-2] + ("AA" if payload[-2:] != "AA" else "AB") + ":" + rest
    elif how == "other session":
        other = Voter.objects.create(phone="+79007654321", verified_at=timezone.now())
        data["confirmation"] = confirmation.issue(
            "another-session-key", other.pk, ballot.pk, client.session[CHOICES_KEY]["choices"]
        )
    else:
        settings.VOTE_CONFIRMATION_MAX_AGE = -1
    _refused_as_stale(client.post(reverse("vote:confirm"), data))
    assert client.session[CHOICES_KEY]  # the picks are kept


@pytest.mark.django_db
def test_leaving_revokes_a_confirm_page_opened_before(client, ballot):
    _ready(client, ballot)
    data = confirmation_data(client)
    client.post(reverse("vote:leave"))
    response = client.post(reverse("vote:confirm"), data)
    assert response.status_code == 302
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_a_session_gone_meanwhile_casts_nothing(client, ballot):
    """Sessions in the database (the embedded default): the store is asked."""
    _ready(client, ballot)
    data = confirmation_data(client)
    client.session.delete()  # expired and cleared, the cookie still sent
    response = client.post(reverse("vote:confirm"), data)
    assert response["Location"] == reverse("vote:start")
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_a_stolen_page_without_its_session_is_refused(client, ballot):
    _ready(client, ballot)
    data = confirmation_data(client)
    client.cookies.clear()
    response = client.post(reverse("vote:confirm"), data)
    assert response["Location"] == reverse("vote:start")
    assert Vote.objects.count() == 0


@pytest.fixture
def redis_sessions(settings, redis_cache):
    """Sessions and rate limits in one private Redis, as in production."""
    settings.SESSION_ENGINE = "smartdialog.core.sessions"
    settings.SESSION_CACHE_ALIAS = "redis"
    return redis_cache


def _commands(redis_cache) -> dict[str, int]:
    stats = redis_cache.client.get_client().info("commandstats")
    return {name.removeprefix("cmdstat_"): row["calls"] for name, row in stats.items()}


@pytest.mark.django_db
def test_on_redis_a_confirm_is_one_script_call_and_no_session_traffic(
    client, ballot, redis_sessions
):
    voter = _ready(client, ballot)
    data = confirmation_data(client)
    ratelimit.take_all([("vote_ip", "192.0.2.1")])  # loads the script into this Redis
    before = _commands(redis_sessions)
    response = client.post(reverse("vote:confirm"), data, REMOTE_ADDR="203.0.113.7")
    after = _commands(redis_sessions)
    assert response["Location"] == reverse("vote:done")
    assert voter.votes.count() == 2
    sent = {name: after[name] - before.get(name, 0) for name in after}
    sent = {name: calls for name, calls in sent.items() if calls and name != "info"}
    # the script's own commands (EXISTS, MGET, SET, INCR) are counted inside it
    assert sent.pop("evalsha") == 1
    assert set(sent) <= {"exists", "mget", "set", "incr"}
    assert sent["exists"] == 1 and sent["mget"] == 1
    assert sent["set"] == 3  # the three counters' SET … NX, no session SET


@pytest.mark.django_db
def test_on_redis_a_session_gone_meanwhile_is_refused_within_the_script(
    client, ballot, redis_sessions
):
    """The token is still this cookie's, but the session expired (or was removed) on the
    server: the rate-limit script finds it gone, counts nothing, and nothing is cast."""
    _ready(client, ballot)
    data = confirmation_data(client)
    redis_sessions.delete(client.session.cache_key)
    ratelimit.take_all([("vote_ip", "192.0.2.1")])  # loads the script into this Redis
    before = _commands(redis_sessions)
    response = client.post(reverse("vote:confirm"), data)
    after = _commands(redis_sessions)
    assert response["Location"] == reverse("vote:start")
    assert Vote.objects.count() == 0
    assert after["evalsha"] - before.get("evalsha", 0) == 1  # the check was the script's
    assert after.get("incr", 0) == before.get("incr", 0)  # nothing counted


@pytest.mark.django_db
def test_the_receipts_page_drops_the_picks_once_cast_and_keeps_them_before(client, ballot):
    _ready(client, ballot)
    data = confirmation_data(client)
    assert client.get(reverse("vote:done")).status_code == 200  # looked before confirming
    assert client.session[CHOICES_KEY]  # the picks still wait for the confirm page
    assert client.post(reverse("vote:confirm"), data)["Location"] == reverse("vote:done")
    assert client.session[CHOICES_KEY]  # the POST left the session alone
    client.get(reverse("vote:done"))
    assert CHOICES_KEY not in client.session
