"""Fixed-window counters in Django's cache (Redis in production) against ballot stuffing.

Each scope has one or more (limit, window in seconds) pairs, overridable by the setting
`VOTE_RATE_LIMITS` (a dict of scope → list of pairs). A page first `peek`s its counters:
over a limit → 429 with Retry-After; the next request would take a counter past
`VOTE_CAPTCHA_RATIO` (0.8) of its limit → the form asks for the captcha. When the request is
accepted it `hit`s them. `peek_all` reads every counter of a request in one `get_many` (one
MGET on Redis) and `hit_all` counts them in one MULTI/EXEC pipeline on Redis (add-or-incr one
by one on other caches). `take_all` does both in one step where the page can decide at once
(the vote's confirm): on Redis one Lua script reads the counters and counts the request only
if it is accepted, atomically. A cache that is down lets requests through (logged): the
database's unique constraints still allow one vote per voter and section.
"""

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    # code requests
    "code_destination": [(3, 600), (10, 86400)],
    "code_ip": [(20, 3600)],
    "code_subnet": [(60, 3600)],
    # votes (a cast covers all sections picked at once)
    "vote_voter": [(10, 3600)],
    "vote_ip": [(20, 3600)],
    "vote_subnet": [(60, 3600)],
}


@dataclass(frozen=True)
class Status:
    blocked: bool = False
    near: bool = False
    retry_after: int = 0  # seconds until the tightest blocking window ends
    gone: bool = False  # `take_all(alive=…)`: that key no longer exists; nothing counted

    def __or__(self, other: "Status") -> "Status":
        return Status(
            blocked=self.blocked or other.blocked,
            near=self.near or other.near,
            retry_after=max(self.retry_after, other.retry_after),
            gone=self.gone or other.gone,
        )


def cache():
    """The cache that holds the counters (`VOTE_RATE_LIMIT_CACHE`, default "default")."""
    return caches[getattr(settings, "VOTE_RATE_LIMIT_CACHE", "default")]


def limits(scope: str) -> list[tuple[int, int]]:
    configured = getattr(settings, "VOTE_RATE_LIMITS", {}) or {}
    return [tuple(pair) for pair in configured.get(scope, DEFAULT_LIMITS[scope])]


def _ratio() -> float:
    return float(getattr(settings, "VOTE_CAPTCHA_RATIO", 0.8))


def _key(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
    bucket = int(now // window)
    retry_after = int((bucket + 1) * window - now) + 1
    return f"vote-rl:{scope}:{window}:{digest}:{bucket}", retry_after


def _windows(scopes, now: float) -> list[tuple[str, int, int, int]]:
    """(cache key, limit, window, retry_after) of every window of every scope with an ident."""
    windows = []
    for scope, ident in scopes:
        if not ident:
            continue
        for limit, window in limits(scope):
            key, retry_after = _key(scope, ident, window, now)
            windows.append((key, limit, window, retry_after))
    return windows


def _status(windows, counts: list) -> Status:
    status = Status()
    ratio = _ratio()
    for (_key, limit, _window, retry_after), count in zip(windows, counts, strict=True):
        count = int(count or 0)
        if count >= limit:
            status = status | Status(blocked=True, retry_after=retry_after)
        elif count + 1 > ratio * limit:
            status = status | Status(near=True)
    return status


def peek_all(scopes: list[tuple[str, str]]) -> Status:
    """Where each (scope, ident) stands now, without counting this request: one read."""
    windows = _windows(scopes, time.time())
    if not windows:
        return Status()
    try:
        counts = cache().get_many([key for key, *_rest in windows])
    except Exception:
        logger.exception("rate-limit cache unavailable; letting the request through")
        return Status()
    return _status(windows, [counts.get(key) for key, *_rest in windows])


_TAKE_LUA = """
local n = #KEYS - tonumber(ARGV[3])
if n < #KEYS and redis.call('EXISTS', KEYS[#KEYS]) == 0 then return false end
local counts = n > 0 and redis.call('MGET', unpack(KEYS, 1, n)) or {}
local ratio, solved, near = tonumber(ARGV[1]), ARGV[2] == '1', false
for i = 1, n do
  local count, limit = tonumber(counts[i] or 0), tonumber(ARGV[2 + 2 * i])
  if count >= limit then return counts end
  if count + 1 > ratio * limit then near = true end
end
if near and not solved then return counts end
for i = 1, n do
  redis.call('SET', KEYS[i], 0, 'EX', tonumber(ARGV[3 + 2 * i]) + 1, 'NX')
  redis.call('INCR', KEYS[i])
end
return counts
"""
_take_script = None  # redis-py's Script: EVALSHA, loading the script when Redis lacks it


def take_all(
    scopes: list[tuple[str, str]], *, captcha_solved: bool = False, alive: str | None = None
) -> Status:
    """`peek_all`, then `hit_all` if the request is accepted (not blocked, and not near a
    limit without a solved captcha), in one round trip on Redis. The status is where the
    counters stood before: `blocked` or `near` without `captcha_solved` = not counted.
    With `alive` (a key of this cache) nothing is counted and the status is `gone` when that
    key no longer exists: the confirm's session, checked in the same round trip."""
    windows = _windows(scopes, time.time())
    store = cache()
    client = _redis(store)
    if client is None:
        if alive is not None and not store.has_key(alive):
            return Status(gone=True)
        status = peek_all(scopes)
        if not status.blocked and (captcha_solved or not status.near):
            hit_all(scopes)
        return status
    global _take_script
    try:
        raw = client.get_client(write=True)
        if _take_script is None:
            _take_script = raw.register_script(_TAKE_LUA)
        args = [_ratio(), int(captcha_solved), int(alive is not None)]
        for _key, limit, window, _retry in windows:
            args += [limit, window]
        keys = [client.make_key(key) for key, *_rest in windows]
        if alive is not None:
            keys.append(client.make_key(alive))
        counts = _take_script(keys=keys, args=args, client=raw)
    except Exception:
        logger.exception("rate-limit cache unavailable; letting the request through")
        return Status()
    if counts is None:
        return Status(gone=True)
    return _status(windows, counts)


def _redis(cache):
    """The raw redis-py client behind a django-redis cache, else None."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client") or not hasattr(client, "make_key"):
        return None
    return client


def hit_all(scopes: list[tuple[str, str]]) -> None:
    """Count one accepted request in every window of every (scope, ident): with Redis one
    MULTI/EXEC round trip (SET 0 NX EX + INCR per window, as add-then-incr does)."""
    windows = _windows(scopes, time.time())
    if not windows:
        return
    store = cache()
    try:
        client = _redis(store)
        if client is not None:
            pipe = client.get_client(write=True).pipeline(transaction=True)
            for key, _limit, window, _retry in windows:
                raw = client.make_key(key)
                pipe.set(raw, 0, ex=window + 1, nx=True)
                pipe.incr(raw)
            pipe.execute()
            return
        for key, _limit, window, _retry in windows:
            try:
                if not store.add(key, 1, timeout=window + 1):
                    store.incr(key)
            except ValueError:  # expired between add and incr
                store.set(key, 1, timeout=window + 1)
    except Exception:
        logger.exception("rate-limit cache unavailable; not counted")


def peek(scope: str, ident: str | None) -> Status:
    """Where `ident` stands in `scope` now, without counting this request."""
    return peek_all([(scope, ident)])


def hit(scope: str, ident: str | None) -> None:
    """Count one accepted request for `ident` in every window of `scope`."""
    hit_all([(scope, ident)])


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the address `VOTE_TRUSTED_PROXIES` proxies
    in front of us put into X-Forwarded-For (counted from the right)."""
    proxies = int(getattr(settings, "VOTE_TRUSTED_PROXIES", 0))
    address = request.META.get("REMOTE_ADDR")
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def subnet(ip: str | None) -> str | None:
    """The /24 of an IPv4 address, the /64 of an IPv6 one."""
    if not ip:
        return None
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def code_request_scopes(ip: str | None, destination: str | None = None) -> list[tuple[str, str]]:
    scopes = [("code_ip", ip), ("code_subnet", subnet(ip))]
    if destination:
        scopes.append(("code_destination", destination))
    return scopes


def vote_scopes(ip: str | None, voter_id: int | None = None) -> list[tuple[str, str]]:
    scopes = [("vote_ip", ip), ("vote_subnet", subnet(ip))]
    if voter_id:
        scopes.append(("vote_voter", str(voter_id)))
    return scopes
