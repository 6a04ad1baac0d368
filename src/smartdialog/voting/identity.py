"""Who is voting: phone or e-mail normalised, one-time codes, the voter kept in the session.

A citizen needs no user account. `request_code` stores only an HMAC of a 6-digit code
(keyed with SECRET_KEY and the destination) and sends it by SMS (`sms.send`) or e-mail;
`verify_code` checks it (expiry, at most `VOTE_CODE_MAX_ATTEMPTS` tries) and returns the
`Voter` for the number or address, creating it once. `log_in` keeps the voter's id in the
session.

E-mail codes go through Django's `send_mail`, not the notifications outbox: a code expires in
minutes and the outbox's retry schedule (and its fixed list of template keys) is meant for
mail that may arrive late; a code that arrives late is useless, and a failure must be shown to
the citizen at once so they can ask again.

Plugging in another identity provider (ЕСИА/Госуслуги over OIDC): its callback view turns the
verified claims into a `VerifiedIdentity` and calls `voter_for(identity)`; the setting
`VOTE_IDENTITY_MAPPER` (a dotted path to a function of a `VerifiedIdentity` returning a `Voter`)
replaces the default mapping, e.g. to match ЕСИА's verified phone to an existing voter.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import sms
from .models import VerificationCode, Voter

logger = logging.getLogger(__name__)

SESSION_KEY = "vote_voter_id"
CODE_LENGTH = 6
Channel = VerificationCode.Channel


def code_ttl() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "VOTE_CODE_TTL", 600)))


def max_attempts() -> int:
    return int(getattr(settings, "VOTE_CODE_MAX_ATTEMPTS", 5))


# Destinations


def normalise_phone(raw: str) -> str:
    """E.164 for a Russian number written any usual way (+7 900 123-45-67, 8 (900) 123-45-67)."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter your mobile phone number."), code="empty")
    region = getattr(settings, "VOTE_PHONE_REGION", "RU")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("«%(value)s» is not a phone number: enter it as +7 900 123-45-67."),
            code="invalid",
            params={"value": text},
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("%(value)s is not a mobile number: the code comes by SMS, enter a mobile one."),
            code="not_mobile",
            params={"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    text = (raw or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(
            _("«%(value)s» is not an e-mail address: enter it as name@example.ru."),
            code="invalid",
            params={"value": text},
        ) from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_codes_allowed() -> bool:
    return bool(getattr(settings, "VOTE_EMAIL_CODES", True))


def parse_destination(raw: str) -> tuple[str, str]:
    """(channel, normalised destination) for what the citizen typed: an e-mail or a phone."""
    if "@" in (raw or ""):
        if not email_codes_allowed():
            raise ValidationError(
                _("Codes are sent by SMS only: enter your mobile phone number."), code="no_email"
            )
        return Channel.EMAIL, normalise_email(raw)
    return Channel.SMS, normalise_phone(raw)


def masked(destination: str) -> str:
    """+7 900 ***-**-67 or n***@example.ru, for pages that say where the code went."""
    if "@" in destination:
        local, _at, domain = destination.rpartition("@")
        return f"{local[:1]}***@{domain}"
    return f"{destination[:-7]} ***-**-{destination[-2:]}"


# Codes


def _code_hash(destination: str, code: str) -> str:
    return salted_hmac("smartdialog.voting.code", f"{destination}:{code}").hexdigest()


def _message(code: str) -> str:
    minutes = int(code_ttl().total_seconds() // 60)
    return _("Smart Dialog vote: your code is %(code)s. It is valid for %(minutes)s min.") % {
        "code": code,
        "minutes": minutes,
    }


def request_code(destination: str, channel: str, ip: str | None = None) -> VerificationCode:
    """Store a new code for a normalised destination and send it; earlier codes stop working.

    Raises ValidationError when the SMS gateway or the mail server refuses: nothing is kept
    then, and the citizen may ask again.
    """
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    now = timezone.now()
    with transaction.atomic():
        VerificationCode.objects.filter(destination=destination, used_at__isnull=True).update(
            used_at=now
        )
        record = VerificationCode.objects.create(
            channel=channel,
            destination=destination,
            code_hash=_code_hash(destination, code),
            expires_at=now + code_ttl(),
            ip=ip,
        )
        try:
            if channel == Channel.SMS:
                sms.send(destination, _message(code))
            else:
                send_mail(
                    _("Your voting code"),
                    _message(code),
                    None,
                    [destination],
                    fail_silently=False,
                )
        except Exception:
            logger.exception("could not send a voting code by %s", channel)
            transaction.set_rollback(True)
            raise ValidationError(
                _("We could not send the code right now: please try again in a minute."),
                code="not_sent",
            ) from None
    return record


def _check(record, destination, code, now) -> ValidationError | None:
    if record is None:
        return ValidationError(
            _("There is no active code for this number: request a new code."), code="none"
        )
    if record.expires_at <= now:
        return ValidationError(_("The code has expired: request a new one."), code="expired")
    if record.attempts >= max_attempts():
        return ValidationError(_("Too many wrong attempts: request a new code."), code="spent")
    if constant_time_compare(record.code_hash, _code_hash(destination, code)):
        return None
    left = max_attempts() - record.attempts - 1
    if left <= 0:
        return ValidationError(_("Too many wrong attempts: request a new code."), code="attempts")
    return ValidationError(
        _("The code is wrong: check the message and try again (attempts left: %(n)s)."),
        code="wrong",
        params={"n": left},
    )


def verify_code(destination: str, code: str) -> Voter:
    """The voter for this destination when `code` is its current code; else ValidationError."""
    code = (code or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        record = (
            VerificationCode.objects.select_for_update()
            .filter(destination=destination, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        error = _check(record, destination, code, now)
        if error is None:
            VerificationCode.objects.filter(pk=record.pk).update(used_at=now)
        elif error.code in ("wrong", "attempts") and record.attempts < max_attempts():
            # Committed with the block: the refusal is raised after it.
            VerificationCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    if error is not None:
        raise error
    channel = record.channel
    identity = VerifiedIdentity(
        phone=destination if channel == Channel.SMS else None,
        email=destination if channel == Channel.EMAIL else None,
        source=channel,
    )
    return voter_for(identity)


# Verified identity → Voter (the hook for ЕСИА/OIDC)


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a provider vouched for: a normalised phone (E.164) and/or e-mail."""

    phone: str | None = None
    email: str | None = None
    source: str = "sms"  # "sms", "email", or an OIDC provider's name


def default_voter_for(identity: VerifiedIdentity) -> Voter:
    """One voter per phone (or, without a phone, per e-mail); marks it verified now."""
    if identity.phone:
        voter, _created = Voter.objects.get_or_create(phone=identity.phone)
    elif identity.email:
        voter, _created = Voter.objects.get_or_create(email=identity.email)
    else:
        raise ValueError("a verified identity needs a phone or an e-mail")
    voter.verified_at = timezone.now()
    Voter.objects.filter(pk=voter.pk).update(verified_at=voter.verified_at)
    return voter


def voter_for(identity: VerifiedIdentity) -> Voter:
    mapper = getattr(settings, "VOTE_IDENTITY_MAPPER", "")
    return (import_string(mapper) if mapper else default_voter_for)(identity)


def set_region(voter: Voter, region) -> Voter:
    """The voter's region of residence; past votes keep the region they were cast with."""
    voter.region = region
    Voter.objects.filter(pk=voter.pk).update(region=region)
    return voter


# The voter's session


def log_in(request, voter: Voter) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = voter.pk


def log_out(request) -> None:
    """A new session key too: a confirm page opened before leaving is then refused."""
    request.session.cycle_key()
    request.session.pop(SESSION_KEY, None)


def current_voter(request) -> Voter | None:
    """The voter of the session, with their region."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    voter = Voter.objects.select_related("region").filter(pk=pk).first()
    if voter is None:
        log_out(request)
    return voter
