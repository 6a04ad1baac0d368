"""The vote's figures, computed from the votes each time (never stored): rankings, regions, time.

Three aggregate queries over `voting_vote`, whatever the number of votes: all votes per
practice × voter region and per practice × hour in one scan (GROUPING SETS), the same for
the excluded votes (few, so cheap), and distinct voters per region and in all in one
ordered pass over the index `vote_ballot_voter_region`. Everything else (shares, margins,
multiples, districts, days, the most active regions) is arithmetic on those few thousand
rows. A vote counts unless it has an active exclusion; the region is the one stored on the
vote when it was cast.

The rules, stated once because the pages and the press text quote them:
- share: a practice's counted votes ÷ the counted votes of its section;
- margin: counted votes minus those of the next practice in the ranking;
- multiple: counted votes ÷ the mean counted votes of the other practices of the section
  (none when the section has no other practice or they have no votes);
- rank: 1 + the number of practices of the section with more votes (ties share a rank).
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, DateTimeField, Func
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.reference.models import FederalDistrict, Region
from smartdialog.reference.population import population
from smartdialog.voting.models import Ballot, BallotEntry, Vote, VoteExclusion

MOSCOW = ZoneInfo("Europe/Moscow")
UTC = datetime.UTC
PER_RESIDENTS = 100_000
CACHE_SECONDS = 24 * 3600
LIVE_CACHE_SECONDS = 60
"""During the vote new votes arrive between seals: a live page is recomputed at least
this often even when no batch was sealed."""
ONE_PLACE = Decimal("0.1")


# --- filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """A cut of the votes: by the voter's region, a direction, a nomination, Moscow days."""

    region: str = ""
    direction: int | None = None
    nomination: str = ""
    day_from: datetime.date | None = None
    day_to: datetime.date | None = None

    def params(self) -> dict[str, str]:
        """The filters as query parameters (what `parse_filters` reads back)."""
        values = {
            "region": self.region,
            "direction": "" if self.direction is None else str(self.direction),
            "nomination": self.nomination,
            "from": self.day_from.isoformat() if self.day_from else "",
            "to": self.day_to.isoformat() if self.day_to else "",
        }
        return {k: v for k, v in values.items() if v}

    def key(self) -> str:
        return "&".join(f"{k}={v}" for k, v in sorted(self.params().items()))


FILTER_PARAMS = frozenset({"region", "direction", "nomination", "from", "to"})


def _day(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("«%(value)s» is not a date: write it as YYYY-MM-DD, e.g. 2023-11-07.")
            % {"value": value},
            code=name,
        ) from None


def parse_filters(edition, params: Mapping[str, str]) -> Filters:
    """Read `region`, `direction`, `nomination`, `from`, `to`; a bad value is a
    ValidationError whose message says which value and what is expected."""
    region = (params.get("region") or "").strip()
    if region and not Region.objects.filter(code=region).exists():
        raise ValidationError(
            _("There is no region with the code «%(code)s»: use a two-digit code, e.g. 77.")
            % {"code": region},
            code="region",
        )
    direction = (params.get("direction") or "").strip()
    if direction and not (
        direction.isdigit() and edition.directions.filter(number=int(direction)).exists()
    ):
        raise ValidationError(
            _("The edition has no direction number «%(value)s».") % {"value": direction},
            code="direction",
        )
    nomination = (params.get("nomination") or "").strip()
    if nomination and not edition.nominations.filter(code=nomination).exists():
        raise ValidationError(
            _("The edition has no nomination «%(value)s».") % {"value": nomination},
            code="nomination",
        )
    day_from = _day(params["from"], "from") if params.get("from") else None
    day_to = _day(params["to"], "to") if params.get("to") else None
    if day_from and day_to and day_to < day_from:
        raise ValidationError(
            _("The period ends before it starts: the day «to» must not be before «from»."),
            code="to",
        )
    return Filters(
        region=region,
        direction=int(direction) if direction else None,
        nomination=nomination,
        day_from=day_from,
        day_to=day_to,
    )


# --- the figures ---------------------------------------------------------------------------


@dataclass
class Practice:
    """A practice on the ballot with its counts; regions are voters' region codes."""

    entry_id: int
    submission_id: int
    title: str
    organization: str
    region_code: str
    nomination_code: str
    counted: int = 0
    excluded: int = 0
    rank: int = 0
    share: Decimal | None = None
    margin: int | None = None
    multiple: Decimal | None = None
    regions: dict[str, int] = field(default_factory=dict)
    excluded_regions: dict[str, int] = field(default_factory=dict)
    hours: dict[datetime.datetime, int] = field(default_factory=dict)
    """Counted votes per hour, keyed by the hour's start in Moscow time."""


@dataclass
class Section:
    order: int
    title: str
    direction_number: int | None
    practices: list[Practice]

    @property
    def counted(self) -> int:
        return sum(p.counted for p in self.practices)

    @property
    def excluded(self) -> int:
        return sum(p.excluded for p in self.practices)

    @property
    def leader(self) -> Practice | None:
        return self.practices[0] if self.practices and self.practices[0].counted else None


@dataclass
class RegionFigure:
    code: str
    votes: int = 0
    voters: int = 0
    population: int | None = None

    @property
    def per_100k(self) -> Decimal | None:
        """Voters per 100 000 residents, when the population is known."""
        if not self.population:
            return None
        return _round(Decimal(self.voters * PER_RESIDENTS) / self.population, Decimal("0.01"))


@dataclass
class Figures:
    sections: list[Section]
    voters: int
    regions: dict[str, RegionFigure]
    """Every region with a counted vote, by code."""
    filters: Filters
    computed_at: datetime.datetime

    @property
    def practices(self) -> list[Practice]:
        return [p for s in self.sections for p in s.practices]

    @property
    def counted(self) -> int:
        return sum(s.counted for s in self.sections)

    @property
    def excluded(self) -> int:
        return sum(s.excluded for s in self.sections)

    def practice(self, submission_id: int) -> Practice | None:
        return next((p for p in self.practices if p.submission_id == submission_id), None)

    def hours(self) -> dict[datetime.datetime, int]:
        total: dict[datetime.datetime, int] = defaultdict(int)
        for practice in self.practices:
            for hour, n in practice.hours.items():
                total[hour] += n
        return dict(sorted(total.items()))

    def most_active(self, limit: int = 10) -> list[RegionFigure]:
        """Regions by distinct voters, most first (code breaks ties)."""
        rows = [r for r in self.regions.values() if r.voters]
        return sorted(rows, key=lambda r: (-r.voters, r.code))[:limit]

    def most_active_per_100k(self, limit: int = 10) -> list[RegionFigure]:
        rows = [r for r in self.regions.values() if r.per_100k is not None and r.voters]
        return sorted(rows, key=lambda r: (-r.per_100k, r.code))[:limit]


def by_day(hours: Mapping[datetime.datetime, int]) -> dict[datetime.date, int]:
    days: dict[datetime.date, int] = defaultdict(int)
    for hour, n in hours.items():
        days[hour.date()] += n
    return dict(sorted(days.items()))


def by_hour_of_day(hours: Mapping[datetime.datetime, int]) -> dict[int, int]:
    """Counted votes per hour of the day 0…23 (Moscow time), every hour present."""
    result = dict.fromkeys(range(24), 0)
    for hour, n in hours.items():
        result[hour.hour] += n
    return result


def by_district(counts: Mapping[str, int]) -> dict[str, int]:
    """Region code → n summed by federal district code, every district present in order."""
    district_of = dict(Region.objects.values_list("code", "federal_district__code"))
    result = dict.fromkeys(FederalDistrict.objects.values_list("code", flat=True), 0)
    for code, n in counts.items():
        result[district_of[code]] += n
    return result


def _round(value: Decimal, places: Decimal = ONE_PLACE) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def rank(practices: list[Practice]) -> list[Practice]:
    """Order a section's practices by counted votes and fill rank, share, margin, multiple."""
    ordered = sorted(practices, key=lambda p: -p.counted)  # stable: ballot order on ties
    total = sum(p.counted for p in ordered)
    for i, practice in enumerate(ordered):
        practice.rank = 1 + sum(1 for p in ordered if p.counted > practice.counted)
        practice.share = _round(Decimal(practice.counted * 100) / total) if total else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        practice.margin = practice.counted - following.counted if following else None
        others = total - practice.counted
        practice.multiple = (
            _round(Decimal(practice.counted * (len(ordered) - 1)) / others)
            if len(ordered) > 1 and others
            else None
        )
    return ordered


def _active_exclusions():
    return VoteExclusion.objects.filter(revoked_at__isnull=True).values("vote_id")


def _cuts(rows) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """Votes per (entry, region id) and per (entry, hour) of `rows`. On PostgreSQL one scan
    with GROUPING SETS, which hashes both cuts in the same pass over the votes."""
    if connection.vendor != "postgresql":
        by_region = rows.values("entry_id", "region_id").annotate(n=Count("id"))
        by_hour = rows.values("entry_id", hour=_hour()).annotate(n=Count("id"))
        return (
            {(e, r): n for e, r, n in by_region.values_list("entry_id", "region_id", "n")},
            {(e, h): n for e, h, n in by_hour.values_list("entry_id", "hour", "n")},
        )
    sql, params = rows.values("entry_id", "region_id", hour=_hour()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT entry_id, region_id, hour, GROUPING(hour), count(*) "
            f"FROM ({sql}) AS votes "
            "GROUP BY GROUPING SETS ((entry_id, region_id), (entry_id, hour))",
            params,
        )
        found = cursor.fetchall()
    by_region = {(e, r): n for e, r, _hour, hourly, n in found if hourly}
    by_hour = {(e, h): n for e, _region, h, hourly, n in found if not hourly}
    return by_region, by_hour


def _grouped(votes, excluded) -> tuple[dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]]:
    """(all votes, excluded votes) per (entry, region id) and per (entry, hour). Counting
    every vote is a plain aggregate over the votes, and the excluded ones are few: no
    anti-join over a million rows."""
    (every_region, every_hour), (out_region, out_hour) = _cuts(votes), _cuts(excluded)
    return (
        {group: (n, out_region.get(group, 0)) for group, n in every_region.items()},
        {group: (n, out_hour.get(group, 0)) for group, n in every_hour.items()},
    )


def _voters(counted) -> tuple[dict[int, int], int]:
    """Distinct voters per region id and in all (a voter who moved between casts counts in
    both regions, once in all). On PostgreSQL one ordered pass over the index
    `vote_ballot_voter_region` (ballot, voter, region, with the vote's id for the
    exclusions): GROUPING SETS by (voter, region) and by voter read it in its order, with no
    sort and no hash of every voter; the outer count groups those rows by region."""
    if connection.vendor != "postgresql":
        per_region = counted.values_list("region_id").annotate(n=Count("voter_id", distinct=True))
        return dict(per_region), counted.aggregate(n=Count("voter_id", distinct=True))["n"]
    sql, params = counted.values("voter_id", "region_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT region_id, count(*), whole FROM ("
            "SELECT region_id, GROUPING(region_id) AS whole "
            f"FROM ({sql}) AS counted "
            "GROUP BY GROUPING SETS ((voter_id, region_id), (voter_id))"
            ") AS pairs GROUP BY whole, region_id",
            params,
        )
        rows = cursor.fetchall()
    total = next((n for _region, n, whole in rows if whole), 0)
    return {region: n for region, n, whole in rows if not whole}, total


@contextmanager
def _aggregating():
    """Sorting and hashing a million votes stays in memory on PostgreSQL (256 MB, for these
    queries only) instead of spilling to disk."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        yield


class _HourBin(Func):
    """The UTC hour a moment falls in: `date_bin` on the absolute time reads no time zone,
    and PostgreSQL computes it several times faster than `date_trunc` (which works in the
    session's zone) or `Trunc` (which converts each row to a zone)."""

    template = "date_bin('1 hour', %(expressions)s, TIMESTAMPTZ '2000-01-01 00:00+00')"
    output_field = DateTimeField()


def _hour():
    """Votes are cut by the hour in UTC and shown in Moscow time: its offset is a whole
    number of hours, so a UTC hour is a Moscow hour."""
    if connection.vendor == "postgresql":
        return _HourBin("cast_at")
    return Trunc("cast_at", "hour", tzinfo=UTC)


def _votes(ballot: Ballot, filters: Filters, entries: dict[int, Practice]):
    votes = Vote.objects.filter(ballot=ballot)
    if filters.direction is not None or filters.nomination:
        votes = votes.filter(entry_id__in=list(entries))
    if filters.region:
        votes = votes.filter(region__code=filters.region)
    if filters.day_from:
        votes = votes.filter(
            cast_at__gte=datetime.datetime.combine(filters.day_from, datetime.time(), MOSCOW)
        )
    if filters.day_to:
        end = filters.day_to + datetime.timedelta(days=1)
        votes = votes.filter(cast_at__lt=datetime.datetime.combine(end, datetime.time(), MOSCOW))
    return votes.order_by()


def compute(ballot: Ballot, filters: Filters = Filters()) -> Figures:
    """The figures of a ballot under a cut; see the module docstring for the rules."""
    chosen = ballot.sections.select_related("direction").order_by("order")
    rows = (
        BallotEntry.objects.filter(section__ballot=ballot)
        .select_related("submission__organization__region", "submission__nomination")
        .order_by("order")
    )
    if filters.direction is not None:
        chosen = chosen.filter(direction__number=filters.direction)
    if filters.nomination:
        chosen = chosen.filter(entries__submission__nomination__code=filters.nomination)
        rows = rows.filter(submission__nomination__code=filters.nomination)
    sections = {
        s.pk: Section(
            order=s.order,
            title=s.title,
            direction_number=s.direction.number if s.direction else None,
            practices=[],
        )
        for s in chosen.distinct()
    }
    entries: dict[int, Practice] = {}
    for entry in rows.filter(section_id__in=list(sections)):
        submission = entry.submission
        practice = Practice(
            entry_id=entry.pk,
            submission_id=submission.pk,
            title=submission.title,
            organization=submission.organization.short_name,
            region_code=submission.organization.region.code,
            nomination_code=submission.nomination.code if submission.nomination else "",
        )
        entries[entry.pk] = practice
        sections[entry.section_id].practices.append(practice)

    region_code = dict(Region.objects.values_list("pk", "code"))
    votes = _votes(ballot, filters, entries)
    excluded = votes.filter(pk__in=_active_exclusions())
    with _aggregating():
        by_region, by_hour = _grouped(votes, excluded)
        counted = votes.exclude(pk__in=_active_exclusions())
        voters_by_region, voters = _voters(counted)
    for (entry_id, region_id), (n, out) in by_region.items():
        practice, code = entries[entry_id], region_code[region_id]
        practice.counted += n - out
        practice.excluded += out
        if n - out:
            practice.regions[code] = n - out
        if out:
            practice.excluded_regions[code] = out
    for (entry_id, hour), (n, out) in by_hour.items():
        if n - out:
            entries[entry_id].hours[timezone.localtime(hour, MOSCOW)] = n - out

    residents = population()
    regions: dict[str, RegionFigure] = {}
    for practice in entries.values():
        for code, n in practice.regions.items():
            regions.setdefault(code, RegionFigure(code, population=residents.get(code)))
            regions[code].votes += n
    for region_id, n in voters_by_region.items():
        regions[region_code[region_id]].voters = n

    for section in sections.values():
        section.practices = rank(section.practices)
    return Figures(
        sections=sorted(sections.values(), key=lambda s: s.order),
        voters=voters,
        regions=dict(sorted(regions.items())),
        filters=filters,
        computed_at=timezone.now(),
    )


# --- caching -------------------------------------------------------------------------------


def version(ballot: Ballot) -> str:
    """Changes whenever a batch of this ballot is sealed or any exclusion is made or revoked:
    exclusions are never deleted, so (made, revoked) moves with every change. Counted over
    all ballots (one cheap scan, no join to the votes): another ballot's exclusion costs a
    needless recomputation at worst."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT max(number) FROM voting_sealedbatch WHERE ballot_id = %s), "
            "count(*), count(revoked_at) FROM voting_voteexclusion",
            [ballot.pk],
        )
        head, made, revoked = cursor.fetchone()
    return f"{ballot.pk}.{head or 0}.{made}.{revoked}"


def is_live(ballot: Ballot, now=None) -> bool:
    now = now or timezone.now()
    return ballot.opens_at <= now < ballot.closes_at


def cached(ballot: Ballot, filters: Filters = Filters(), *, stamp: str | None = None) -> Figures:
    """`compute` through the cache, under a key that moves with `version` (pass it as
    `stamp` when it is already known)."""
    key = f"results:figures:{stamp or version(ballot)}:{filters.key()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute(ballot, filters)
        cache.set(key, figures, LIVE_CACHE_SECONDS if is_live(ballot) else CACHE_SECONDS)
    return figures
