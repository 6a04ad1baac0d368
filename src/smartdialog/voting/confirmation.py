"""The confirm page's token: what the voter was shown and now confirms, signed by the server.

The confirm POST is the one request every voter makes at the vote's peak. With the voter's
id, the ballot and the picks in a signed token posted with the form, it reads nothing from
the session store and writes nothing to it (a Redis GET, a decode, an encode and a SET each
time otherwise). The token is bound to the session that saw the page (the session's key
salts the signature): posted from another session it is refused; and the session must still
exist when the vote is cast, checked within the rate-limit step on Redis
(`ratelimit.take_all(alive=…)`), so leaving (which gives the session a new key) or an expired
session revokes it at once. Tokens expire after `VOTE_CONFIRMATION_MAX_AGE` seconds
(default 2 hours): the page then asks the voter to confirm again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from . import ratelimit

SALT = "smartdialog.voting.confirmation"
FIELD = "confirmation"


@dataclass(frozen=True)
class Confirmation:
    voter_id: int
    ballot_id: int
    choices: dict[str, list[int]]  # section id → entry ids, as `services.cast` takes them


def issue(session_key: str, voter_id: int, ballot_id: int, choices: dict) -> str:
    """The token for the confirm form of this session's voter and picks."""
    payload = {
        "v": voter_id,
        "b": ballot_id,
        "c": {str(section): list(entries) for section, entries in choices.items()},
    }
    return signing.dumps(payload, salt=SALT + session_key)


def read(token: str | None, session_key: str | None) -> Confirmation | None:
    """The confirmation, or None when the token is missing, forged, expired or another
    session's."""
    if not token or not session_key:
        return None
    try:
        payload = signing.loads(
            token, salt=SALT + session_key, max_age=settings.VOTE_CONFIRMATION_MAX_AGE
        )
        return Confirmation(
            voter_id=int(payload["v"]),
            ballot_id=int(payload["b"]),
            choices={str(k): [int(pk) for pk in v] for k, v in payload["c"].items()},
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None


def session_alive_key(session) -> str | None:
    """The session's key in the rate-limit cache when the session lives there (the Redis
    cache of production), for `ratelimit.take_all(alive=…)` to check in the same step; None
    when sessions are stored elsewhere (then `session_exists` asks their store)."""
    cache = getattr(session, "_cache", None)
    if cache is None or cache is not ratelimit.cache():
        return None
    return session.cache_key


def session_exists(session) -> bool:
    """Whether the session is still stored (not expired, not replaced on leaving), without
    loading it."""
    return session.session_key is not None and session.exists(session.session_key)
