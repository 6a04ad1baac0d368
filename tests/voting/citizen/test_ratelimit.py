"""Rate limits: counters, 429 with Retry-After, the captcha near a limit."""

import re

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smartdialog.voting import ratelimit, sms
from smartdialog.voting.models import VerificationCode
from tests.voting.citizen.conftest import PHONE
from tests.voting.confirming import post_confirm

IP = "203.0.113.7"


def _limited_text(minutes):
    return ngettext(
        "Too many requests came from your number or network. Nothing is lost: please try "
        "again in %(minutes)s minute.",
        "Too many requests came from your number or network. Nothing is lost: please try "
        "again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def test_counter_turns_near_then_blocked(settings):
    settings.VOTE_RATE_LIMITS = {"code_destination": [(3, 600)]}
    states = []
    for _request in range(4):
        status = ratelimit.peek("code_destination", PHONE)
        states.append((status.near, status.blocked))
        if not status.blocked:
            ratelimit.hit("code_destination", PHONE)
    assert states == [(False, False), (False, False), (True, False), (False, True)]
    assert 0 < ratelimit.peek("code_destination", PHONE).retry_after <= 601


def test_windows_are_separate_per_destination(settings):
    settings.VOTE_RATE_LIMITS = {"code_destination": [(1, 600)]}
    ratelimit.hit("code_destination", PHONE)
    assert ratelimit.peek("code_destination", PHONE).blocked
    assert not ratelimit.peek("code_destination", "+79001234568").blocked


def test_subnet_groups_ipv4_by_24_and_ipv6_by_64():
    assert ratelimit.subnet("203.0.113.7") == "203.0.113.0/24"
    assert ratelimit.subnet("2001:db8::1") == "2001:db8::/64"


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9"
    )
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.VOTE_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "198.51.100.9"


@pytest.mark.django_db
def test_code_requests_over_the_limit_get_429_with_retry_after(client, ballot):
    for _hit in range(3):
        ratelimit.hit("code_destination", PHONE)
    response = client.post(reverse("vote:start"), {"contact": "8 900 123-45-67"}, REMOTE_ADDR=IP)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 601
    minutes = (retry_after + 59) // 60
    assert _limited_text(minutes) in response.content.decode()
    assert VerificationCode.objects.count() == 0


@pytest.mark.django_db
def test_a_busy_subnet_gets_429_on_the_form_itself(client, ballot):
    for _hit in range(60):
        ratelimit.hit("code_subnet", "203.0.113.0/24")
    response = client.get(reverse("vote:start"), REMOTE_ADDR="203.0.113.200")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_votes_over_the_limit_get_429(client, ballot, settings):
    from django.utils import timezone

    from smartdialog.reference.models import Region
    from smartdialog.voting.identity import SESSION_KEY
    from smartdialog.voting.models import Voter

    voter = Voter.objects.create(
        phone=PHONE, region=Region.objects.get(code="77"), verified_at=timezone.now()
    )
    session = client.session
    session[SESSION_KEY] = voter.pk
    section = ballot.sections.first()
    session["vote_choices"] = {
        "ballot": ballot.pk,
        "choices": {str(section.pk): [section.entries.first().pk]},
    }
    session.save()
    for _hit in range(20):
        ratelimit.hit("vote_ip", IP)
    response = post_confirm(client, REMOTE_ADDR=IP)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert voter.votes.count() == 0


@pytest.mark.django_db
def test_near_the_ip_limit_the_form_asks_for_the_captcha(client, ballot):
    for _hit in range(16):  # the 17th request of 20 passes 80 %
        ratelimit.hit("code_ip", IP)
    response = client.get(reverse("vote:start"), REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert response.context["form"].needs_captcha is True


@pytest.mark.django_db
def test_far_from_the_limits_there_is_no_captcha(client, ballot):
    response = client.get(reverse("vote:start"), REMOTE_ADDR=IP)
    assert response.context["form"].needs_captcha is False
    assert "captcha" not in response.context["form"].fields


@pytest.fixture
def captcha_app():
    if not apps.is_installed("captcha"):
        pytest.fail(
            "django-simple-captcha is not configured: add 'captcha' to INSTALLED_APPS and "
            "path('captcha/', include('captcha.urls')) to smartdialog/urls.py"
        )


def _captcha_answer(html):
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


@pytest.mark.django_db
def test_near_the_destination_limit_a_code_needs_the_captcha(client, ballot, captcha_app):
    for _hit in range(2):  # the third request of 3 per 10 minutes passes 80 %
        ratelimit.hit("code_destination", PHONE)
    url = reverse("vote:start")
    response = client.post(url, {"contact": "+7 900 123-45-67"}, REMOTE_ADDR=IP)
    assert response.status_code == 200
    html = response.content.decode()
    assert _("Type the characters from the picture.") in html
    assert 'value="+7 900 123-45-67"' in html  # what was typed is kept
    assert len(sms.outbox) == 0
    key, _answer = _captcha_answer(html)
    response = client.post(
        url,
        {"contact": "+7 900 123-45-67", "captcha_0": key, "captcha_1": "wrong"},
        REMOTE_ADDR=IP,
    )
    assert _("The characters do not match the picture: type them again.") in (
        response.content.decode()
    )
    key, answer = _captcha_answer(response.content.decode())
    response = client.post(
        url,
        {"contact": "+7 900 123-45-67", "captcha_0": key, "captcha_1": answer},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("vote:code")
    assert [m.phone for m in sms.outbox] == [PHONE]


def test_with_redis_the_counters_keep_their_meaning(settings, redis_cache):
    settings.VOTE_RATE_LIMITS = {"vote_ip": [(3, 600)], "vote_voter": [(10, 60), (2, 3600)]}
    scopes = ratelimit.vote_scopes(IP, 42)
    states = []
    for _request in range(4):
        status = ratelimit.peek_all(scopes)
        states.append((status.near, status.blocked))
        if not status.blocked:
            ratelimit.hit_all(scopes)
    # the voter's hourly limit of 2: near at the second, blocked at the third (the address's
    # limit of 3 is near by then)
    assert states == [(False, False), (True, False), (True, True), (True, True)]
    assert 0 < ratelimit.peek("vote_voter", "42").retry_after <= 3601  # end of the hour
    client = redis_cache.client.get_client()
    counts = {key.decode().split(":")[3]: int(client.get(key)) for key in client.keys("*vote-rl*")}
    assert counts == {"vote_ip": 2, "vote_subnet": 2, "vote_voter": 2}  # accepted ones only
    ttls = sorted(client.ttl(key) for key in client.keys("*vote-rl*:60:*"))
    assert ttls and all(0 < ttl <= 61 for ttl in ttls)


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_take_counts_only_accepted_requests_in_one_step(settings, redis_cache, backend):
    """`take_all` = peek, then hit if accepted: on Redis one Lua script, elsewhere two calls.
    Near a limit without a solved captcha nothing is counted; with one it is."""
    if backend == "locmem":
        settings.VOTE_RATE_LIMIT_CACHE = "default"
    settings.VOTE_RATE_LIMITS = {"vote_ip": [(5, 600)], "vote_voter": [(3, 3600)]}
    scopes = ratelimit.vote_scopes(IP, 42)
    states = []
    for solved in (False, False, False, True, False, True):
        status = ratelimit.take_all(scopes, captcha_solved=solved)
        states.append((status.near, status.blocked))
    # 0 and 1 counted; at 2 (near the voter's 3) refused without the captcha, counted with
    # it; at 3 blocked with or without one
    assert states == [
        (False, False),
        (False, False),
        (True, False),
        (True, False),
        (False, True),
        (False, True),
    ]
    assert ratelimit.peek("vote_voter", "42").blocked
    assert 0 < ratelimit.peek("vote_voter", "42").retry_after <= 3601  # end of the hour
    assert ratelimit.peek("vote_ip", IP) == ratelimit.Status(near=False)  # 3 of 5 counted
    if backend == "redis":
        client = redis_cache.client.get_client()
        counts = {k.decode().split(":")[3]: int(client.get(k)) for k in client.keys("*vote-rl*")}
        assert counts == {"vote_ip": 3, "vote_subnet": 3, "vote_voter": 3}
        assert all(0 < client.ttl(k) <= 3601 for k in client.keys("*vote-rl*"))


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_take_with_a_key_that_is_gone_counts_nothing(settings, redis_cache, backend):
    """`take_all(alive=…)`: the confirm's session checked in the same step; gone → nothing
    counted."""
    if backend == "locmem":
        settings.VOTE_RATE_LIMIT_CACHE = "default"
    settings.VOTE_RATE_LIMITS = {"vote_voter": [(10, 3600)]}
    store = ratelimit.cache()
    scopes = [("vote_voter", "42")]
    assert ratelimit.take_all(scopes, alive="session-of-42") == ratelimit.Status(gone=True)
    assert ratelimit.peek("vote_voter", "42") == ratelimit.Status()  # 0 counted
    store.set("session-of-42", "x")
    assert ratelimit.take_all(scopes, alive="session-of-42") == ratelimit.Status()
    settings.VOTE_RATE_LIMITS = {"vote_voter": [(1, 3600)]}
    assert ratelimit.peek("vote_voter", "42").blocked  # 1 counted
