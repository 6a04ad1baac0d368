"""Phone normalisation, one-time codes and the voter they identify."""

import datetime
import http.server
import json
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.voting import identity, sms
from smartdialog.voting.models import VerificationCode, Voter
from tests.voting.citizen.conftest import PHONE, last_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ["+7 900 123-45-67", "8 (900) 123-45-67", "89001234567", "+79001234567", "900 123 45 67"],
)
def test_normalise_phone_gives_e164(raw):
    assert identity.normalise_phone(raw) == PHONE


@pytest.mark.parametrize("raw", ["12345", "телефон", "+7 900 123"])
def test_normalise_phone_refuses_what_is_not_a_number(raw):
    with pytest.raises(ValidationError) as caught:
        identity.normalise_phone(raw)
    assert caught.value.messages == [
        _("«%(value)s» is not a phone number: enter it as +7 900 123-45-67.") % {"value": raw}
    ]


def test_normalise_phone_refuses_a_landline():
    with pytest.raises(ValidationError) as caught:
        identity.normalise_phone("+7 495 123-45-67")
    assert caught.value.code == "not_mobile"


def test_parse_destination_tells_email_from_phone():
    assert identity.parse_destination("Ivan@Example.RU") == ("email", "Ivan@example.ru")
    assert identity.parse_destination("8 900 123 45 67") == ("sms", PHONE)


def test_request_code_sends_sms_and_stores_only_a_hash():
    record = identity.request_code(PHONE, "sms", "10.0.0.1")
    code = last_code()
    assert sms.outbox[-1].phone == PHONE
    assert code not in record.code_hash
    lifetime = record.expires_at - record.created_at
    assert abs(lifetime - datetime.timedelta(minutes=10)) < datetime.timedelta(seconds=1)
    assert str(record.ip) == "10.0.0.1"


def test_email_code_goes_by_mail():
    identity.request_code("ivan@example.ru", "email")
    assert [m.to for m in mail.outbox] == [["ivan@example.ru"]]
    assert len(sms.outbox) == 0


def test_verify_success_creates_one_voter_and_reuses_it():
    identity.request_code(PHONE, "sms")
    voter = identity.verify_code(PHONE, last_code())
    assert voter.phone == PHONE and voter.verified_at is not None
    identity.request_code(PHONE, "sms")
    again = identity.verify_code(PHONE, last_code())
    assert again.pk == voter.pk
    assert Voter.objects.count() == 1


def test_a_code_works_once():
    identity.request_code(PHONE, "sms")
    code = last_code()
    identity.verify_code(PHONE, code)
    with pytest.raises(ValidationError) as caught:
        identity.verify_code(PHONE, code)
    assert caught.value.code == "none"


def test_wrong_code_says_how_many_attempts_are_left():
    identity.request_code(PHONE, "sms")
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError) as caught:
        identity.verify_code(PHONE, wrong)
    assert caught.value.messages == [
        _("The code is wrong: check the message and try again (attempts left: %(n)s).") % {"n": 4}
    ]
    assert VerificationCode.objects.get().attempts == 1
    assert Voter.objects.count() == 0


def test_five_wrong_attempts_spend_the_code():
    identity.request_code(PHONE, "sms")
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(4):
        with pytest.raises(ValidationError):
            identity.verify_code(PHONE, wrong)
    with pytest.raises(ValidationError) as caught:
        identity.verify_code(PHONE, wrong)
    assert caught.value.messages == [_("Too many wrong attempts: request a new code.")]
    with pytest.raises(ValidationError) as caught:
        identity.verify_code(PHONE, code)  # even the right one now
    assert caught.value.messages == [_("Too many wrong attempts: request a new code.")]
    assert Voter.objects.count() == 0


def test_expired_code_is_refused():
    identity.request_code(PHONE, "sms")
    VerificationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as caught:
        identity.verify_code(PHONE, last_code())
    assert caught.value.messages == [_("The code has expired: request a new one.")]


def test_a_new_code_replaces_the_old_one():
    identity.request_code(PHONE, "sms")
    old = last_code()
    identity.request_code(PHONE, "sms")
    if old != last_code():
        with pytest.raises(ValidationError):
            identity.verify_code(PHONE, old)
    assert identity.verify_code(PHONE, last_code()).phone == PHONE


class FailingBackend:
    def send(self, phone, text):
        raise sms.SmsError("down")


def test_gateway_failure_keeps_nothing_and_says_so(settings):
    settings.SMS_BACKEND = "tests.voting.citizen.test_identity.FailingBackend"
    with pytest.raises(ValidationError) as caught:
        identity.request_code(PHONE, "sms")
    assert caught.value.messages == [
        _("We could not send the code right now: please try again in a minute.")
    ]
    assert VerificationCode.objects.count() == 0


def test_identity_mapper_hook_is_used(settings):
    settings.VOTE_IDENTITY_MAPPER = "tests.voting.citizen.test_identity.map_to_email"
    voter = identity.voter_for(identity.VerifiedIdentity(phone=PHONE, source="esia"))
    assert voter.email == "esia@example.ru"


def map_to_email(verified):
    return Voter.objects.create(email="esia@example.ru", verified_at=timezone.now())


@pytest.fixture
def gateway():
    """A local HTTP server standing in for the SMS gateway; records what it was sent."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((json.loads(self.rfile.read(length)), self.headers["Authorization"]))
            self.send_response(500 if received[-1][0]["to"] == "+70000000000" else 202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", received
    server.shutdown()


def test_http_backend_posts_json(settings, gateway):
    url, received = gateway
    settings.SMS_BACKEND, settings.SMS_HTTP_URL, settings.SMS_HTTP_TOKEN = "http", url, "t0k"
    sms.send(PHONE, "код 123456")
    assert received == [({"to": PHONE, "text": "код 123456"}, "Bearer t0k")]


def test_http_backend_raises_on_refusal(settings, gateway):
    url, _received = gateway
    settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", url
    with pytest.raises(sms.SmsError):
        sms.send("+70000000000", "x")
