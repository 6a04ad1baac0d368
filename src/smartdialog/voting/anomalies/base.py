"""What every signal shares: the group, the signal, the per-ballot context, the aggregate."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, QuerySet

from ..models import Ballot, BallotEntry, Vote
from ..tally import excluded_exists

MOSCOW = ZoneInfo("Europe/Moscow")
SHOWN_GROUPS = 50
"""Groups listed per signal on the review page, largest first (all are counted)."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class Group:
    """Votes a signal puts together; `votes` is the queryset, the rest its aggregate."""

    key: str
    size: int
    voters: int
    excluded: int
    first: datetime
    last: datetime
    samples: list[str]
    votes: QuerySet
    entry: BallotEntry | None = None
    ip: str = ""
    user_agent: str = ""
    detail: str = ""

    @property
    def counted(self) -> int:
        return self.size - self.excluded

    @property
    def all_excluded(self) -> bool:
        return self.excluded >= self.size


@dataclass(frozen=True)
class Signal:
    code: str
    title: str
    text: str
    finder: Callable[["Context"], list[Group]] = field(repr=False)
    params: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        """Interpolated when read, so it is in the language of the request."""
        return self.text % self.params

    def groups(self, ballot: Ballot, ctx: "Context | None" = None) -> list[Group]:
        return self.finder(ctx or Context(ballot))


@dataclass
class Report:
    signal: Signal
    groups: list[Group]

    @property
    def shown(self) -> list[Group]:
        return self.groups[:SHOWN_GROUPS]

    @property
    def hidden(self) -> int:
        return max(0, len(self.groups) - SHOWN_GROUPS)


class Context:
    """The ballot, its entries and what several signals read (`shared`), for one request."""

    def __init__(self, ballot: Ballot):
        self.ballot = ballot
        self.shared: dict[str, object] = {}
        self.entries = {
            e.pk: e
            for e in BallotEntry.objects.filter(section__ballot=ballot).select_related(
                "section", "submission"
            )
        }

    def votes(self) -> QuerySet:
        return Vote.objects.filter(ballot=self.ballot)

    def annotated(self) -> QuerySet:
        return self.votes().annotate(is_excluded=excluded_exists()).order_by()

    def group(self, row: dict, key: str, votes: QuerySet, **extra) -> Group:
        samples = list(dict.fromkeys([row["sample_low"], row["sample_high"]]))
        return Group(
            key=key,
            size=row["size"],
            voters=row["voters"],
            excluded=row["excluded"],
            first=row["first"],
            last=row["last"],
            samples=samples,
            votes=votes,
            **extra,
        )

    def measured(self, key: str, votes: QuerySet, **extra) -> Group:
        """A group from one aggregate over its votes (an index-backed queryset)."""
        row = votes.annotate(is_excluded=excluded_exists()).order_by().aggregate(**STATS)
        return self.group(row, key, votes.order_by(), **extra)


STATS = {
    "size": Count("id"),
    "voters": Count("voter_id", distinct=True),
    "excluded": Count("id", filter=Q(is_excluded=True)),
    "first": Min("cast_at"),
    "last": Max("cast_at"),
    "sample_low": Min("receipt"),
    "sample_high": Max("receipt"),
}
"""One aggregate per group: its size, voters, excluded votes, time span and two receipts.
It is computed for candidate groups only: a first pass counts votes per group without the
distinct count and the exclusions, and a group with fewer votes than the threshold cannot
have enough voters."""
