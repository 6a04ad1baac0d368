"""Signals of ballot stuffing, for the organisers' review (docs/voting.md, «Anomalies and review»).

A signal groups votes that look alike in a way honest voters rarely do: many voters behind
one address or one /24 (/64) network with one browser build (`networks`), votes cast seconds
after the code was sent and bursts for one practice by hour or by night (`timing`), a run of
consecutive phone numbers (`phones`). A signal proves nothing; it points organisers at votes
to read. Signals are aggregate queries over the ballot's votes: a cheap count per candidate
group first, the full statistics (`base.STATS`) only for the candidates; Python walks
aggregated rows, never the votes themselves.

A group is named by (signal code, key); the key is rebuilt from the same aggregation, so a
group that changed or vanished since the page was read is found stale, not guessed at.
"""

from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from ..models import Ballot, Vote, VoteExclusion
from . import networks, phones, timing
from .base import Context, Group, Report, Signal

SIGNALS = [
    Signal(
        "subnet",
        _("One network, one browser"),
        _(
            "Voters behind one /24 network (/64 for IPv6) with the same browser string. A bot "
            "farm rotates addresses inside its network but rarely varies the browser."
        ),
        networks.subnet_agent,
    ),
    Signal(
        "ip",
        _("One address"),
        _(
            "Many voters from one IP address. Offices, universities and mobile operators put "
            "many honest people behind one address: read the times and the browsers."
        ),
        networks.same_ip,
    ),
    Signal(
        "fast",
        _("Votes seconds after the code"),
        _(
            "Votes cast less than %(s)s seconds after the voter's code was sent. A person needs "
            "longer to read the SMS, type the code, choose a region and read the ballot."
        ),
        timing.fast,
        {"s": timing.FAST_VOTE_SECONDS},
    ),
    Signal(
        "burst",
        _("Bursts for one practice"),
        _(
            "An hour in which a practice got far more votes than in its usual hours (median "
            "plus %(k)s robust deviations, at least %(n)s votes) while the other practices did "
            "not rise with it. The group is the whole hour: honest votes of that hour are in it "
            "too."
        ),
        timing.hourly,
        {"k": timing.BURST_K, "n": timing.BURST_MIN_VOTES},
    ),
    Signal(
        "night",
        _("Night bursts"),
        _(
            "A night (01:00–05:59 Moscow time) in which a practice got far more votes than on "
            "its other nights (at least %(n)s) while the other practices did not rise with it. "
            "Voters in the Far East vote in their daytime: look at the regions."
        ),
        timing.nightly,
        {"n": timing.NIGHT_MIN_VOTES},
    ),
    Signal(
        "phones",
        _("Consecutive phone numbers"),
        _(
            "At least %(n)s voters whose phone numbers follow one another. SIM cards bought "
            "in bulk come in blocks; honest voters' numbers are scattered."
        ),
        phones.phone_runs,
        {"n": phones.PHONE_RUN_MIN},
    ),
]
BY_CODE = {s.code: s for s in SIGNALS}


def report(ballot: Ballot) -> list[Report]:
    """Every signal with its groups, largest first (one context: the hourly counts are read
    once for bursts and night bursts)."""
    ctx = Context(ballot)
    return [Report(signal, signal.groups(ballot, ctx)) for signal in SIGNALS]


def totals(ballot: Ballot) -> dict[str, int]:
    """The ballot's counted and excluded votes: two counts, for the review page's heading."""
    votes = Vote.objects.filter(ballot=ballot).count()
    excluded = VoteExclusion.objects.filter(vote__ballot=ballot, revoked_at__isnull=True).count()
    return {"counted": votes - excluded, "excluded": excluded}


def excluded_groups(ballot: Ballot) -> list[dict]:
    """Groups excluded as a whole and not restored: signal, key, votes, reason, when."""
    rows = (
        VoteExclusion.objects.filter(vote__ballot=ballot, revoked_at__isnull=True)
        .exclude(signal="")
        .values("signal", "group")
        .annotate(votes=Count("id"), since=Min("excluded_at"), reason=Min("reason"))
        .order_by("-since")
    )
    return [r | {"title": BY_CODE[r["signal"]].title} for r in rows if r["signal"] in BY_CODE]


def excluded_in_group(ballot: Ballot, code: str, key: str) -> int:
    """Votes of a group that its exclusion keeps out of the count now."""
    return VoteExclusion.objects.filter(
        vote__ballot=ballot, signal=code, group=key, revoked_at__isnull=True
    ).count()


def find_group(ballot: Ballot, code: str, key: str) -> tuple[Signal | None, Group | None]:
    """The signal and its group as they are now; None where the signal or group is unknown."""
    signal = BY_CODE.get(code)
    if signal is None:
        return None, None
    return signal, next((g for g in signal.groups(ballot) if g.key == key), None)
