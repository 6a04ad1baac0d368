"""When votes come: seconds after the code, or in a burst for one practice (by hour, by night)."""

import statistics
from datetime import UTC, datetime, timedelta

from django.db.models import BigIntegerField, Count, Exists, FloatField, Func, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..models import VerificationCode
from .base import MOSCOW, STATS, Context, Group

FAST_VOTE_SECONDS = 10
"""Reading an SMS, typing six digits, choosing a region and a practice takes a human longer."""
FAST_MIN_VOTES = 3
"""One quick voter with an SMS autofill is plausible; several for one practice are a script."""
BURST_K = 5
"""Hours above median + 5 robust deviations of the practice's own hourly counts are bursts."""
BURST_MIN_VOTES = 30
"""…and at least thirty votes: a quiet practice's 3 votes in an hour are not a burst."""
BURST_ODDS_RATIO = 2
"""…and its odds against the other practices doubled in that period: the opening or the
evening news lifts every practice alike, a stuffed practice rises alone."""
NIGHT_HOURS = (1, 6)
"""01:00–05:59 Moscow time, when the vote is quietest in most of the country."""
NIGHT_MIN_VOTES = 20
"""A night needs at least twenty votes for one practice: fewer is a few insomniacs and the
Far East's morning."""
MAD_SCALE = 1.4826
"""Makes the median absolute deviation comparable to a standard deviation."""


class EpochHour(Func):
    """Whole hours since 1970 (UTC). Moscow's offset is a whole number of hours, so these are
    Moscow's clock hours too; native arithmetic, where Django's time-zone truncation runs a
    Python function per row on SQLite."""

    output_field = BigIntegerField()
    template = "CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 3600) AS BIGINT)"

    def as_sqlite(self, compiler, conn, **extra):
        # '%%%%s' → '%%s' in the SQL → '%s' once the backend has replaced its placeholders
        template = "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / 3600)"
        return self.as_sql(compiler, conn, template=template, **extra)


class SecondsBetween(Func):
    """later − earlier in seconds, without Django's per-row Python on SQLite."""

    output_field = FloatField()
    arity = 2
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def as_sqlite(self, compiler, conn, **extra):
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return self.as_sql(compiler, conn, template=template, arg_joiner=") - julianday(", **extra)


def fast_code():
    """A code for the voter's phone (or, without one, e-mail) issued less than
    FAST_VOTE_SECONDS before the vote. Needs the `contact` annotation (`with_contact`): one
    equality lets the database hash-join the codes instead of probing them vote by vote."""
    return Exists(
        VerificationCode.objects.filter(
            destination=OuterRef("contact"), created_at__lte=OuterRef("cast_at")
        )
        .annotate(gap=SecondsBetween(OuterRef("cast_at"), "created_at"))
        .filter(gap__lt=FAST_VOTE_SECONDS)
    )


def with_contact(votes: QuerySet) -> QuerySet:
    return votes.annotate(contact=Coalesce("voter__phone", "voter__email"))


def fast(ctx: Context) -> list[Group]:
    rows = (
        with_contact(ctx.annotated())
        .filter(fast_code())
        .values("entry_id")
        .annotate(**STATS)
        .filter(size__gte=FAST_MIN_VOTES)
        .order_by("-size", "entry_id")
    )
    return [
        ctx.group(
            r,
            str(r["entry_id"]),
            with_contact(ctx.votes()).filter(fast_code(), entry_id=r["entry_id"]),
            entry=ctx.entries[r["entry_id"]],
        )
        for r in rows
    ]


def threshold(counts: list[int], periods: int, k: float, minimum: int) -> tuple[float, float, int]:
    """(median, MAD, threshold) of per-period counts, periods without votes counted as 0."""
    values = [0] * max(0, periods - len(counts)) + sorted(counts)
    median = statistics.median(values) if values else 0
    mad = statistics.median(abs(v - median) for v in values) if values else 0
    return median, mad, max(minimum, int(median + k * MAD_SCALE * mad) + 1)


def _bursts(ctx, counts, minimum, describe, votes_of) -> list[Group]:
    """Per entry: the periods whose count reaches the entry's own threshold and in which its
    odds against the other practices are BURST_ODDS_RATIO times its odds over all periods.

    `counts` are (entry id, period, votes) rows. The baseline runs over the periods in which
    anyone voted, a practice's silent ones counting as 0.
    """
    by_entry: dict[int, list[tuple]] = {}
    per_period: dict[datetime, int] = {}
    for entry_id, period, n in counts:
        by_entry.setdefault(entry_id, []).append((period, n))
        per_period[period] = per_period.get(period, 0) + n
    total = sum(per_period.values())
    groups = []
    for entry_id, rows in by_entry.items():
        median, mad, limit = threshold([n for _p, n in rows], len(per_period), BURST_K, minimum)
        own = sum(n for _p, n in rows)
        for period, n in rows:
            others = per_period[period] - n
            # n / others ≥ ratio · own / (total − own), multiplied out (no division by 0)
            if n < limit or n * (total - own) < BURST_ODDS_RATIO * own * others:
                continue
            detail = _(
                "%(period)s: %(n)s votes; usual for this practice %(median)s ± %(mad)s, "
                "flagged from %(limit)s; %(share)s%% of the period's votes against "
                "%(usual)s%% overall"
            ) % {
                "period": describe(period),
                "n": n,
                "median": f"{median:g}",
                "mad": f"{mad:g}",
                "limit": limit,
                "share": round(100 * n / per_period[period]),
                "usual": round(100 * own / total),
            }
            groups.append(
                ctx.measured(
                    f"{entry_id}@{period:%Y-%m-%dT%H}",
                    votes_of(entry_id, period),
                    entry=ctx.entries[entry_id],
                    detail=detail,
                )
            )
    return sorted(groups, key=lambda g: (-g.size, g.key))


def hourly_counts(ctx: Context) -> list[tuple[int, datetime, int]]:
    """(entry id, start of the Moscow hour, votes) for every hour an entry got votes."""
    if "hourly" not in ctx.shared:
        rows = (
            ctx.votes()
            .annotate(hour=EpochHour("cast_at"))
            .order_by()
            .values_list("entry_id", "hour")
            .annotate(n=Count("id"))
        )
        ctx.shared["hourly"] = [
            (entry_id, datetime.fromtimestamp(hour * 3600, UTC).astimezone(MOSCOW), n)
            for entry_id, hour, n in rows
        ]
    return ctx.shared["hourly"]


def hourly(ctx: Context) -> list[Group]:
    def votes_of(entry_id, hour):
        return ctx.votes().filter(
            entry_id=entry_id, cast_at__gte=hour, cast_at__lt=hour + timedelta(hours=1)
        )

    return _bursts(
        ctx,
        hourly_counts(ctx),
        BURST_MIN_VOTES,
        lambda hour: f"{hour:%d.%m.%Y %H}:00–{hour:%H}:59",
        votes_of,
    )


def nightly(ctx: Context) -> list[Group]:
    """The hourly counts of 01:00–05:59 summed per entry and night (aggregated rows only)."""
    first, last = NIGHT_HOURS
    nights: dict[tuple[int, datetime], int] = {}
    for entry_id, hour, n in hourly_counts(ctx):
        if first <= hour.hour < last:
            start = hour.replace(hour=first)
            nights[entry_id, start] = nights.get((entry_id, start), 0) + n
    length = timedelta(hours=last - first)

    def votes_of(entry_id, start):
        return ctx.votes().filter(entry_id=entry_id, cast_at__gte=start, cast_at__lt=start + length)

    return _bursts(
        ctx,
        [(entry_id, start, n) for (entry_id, start), n in nights.items()],
        NIGHT_MIN_VOTES,
        lambda start: f"{start:%d.%m.%Y} {first:02d}:00–{last - 1:02d}:59",
        votes_of,
    )
