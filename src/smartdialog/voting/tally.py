"""Counting by aggregation over the votes: no counter rows, so casting never waits on one.

Two aggregate queries. The big one counts every vote per entry × region with `count(*)`
over `entry_id IN (the ballot's entries)`: it reads only the columns of the index
`vote_entry_region`, so PostgreSQL answers it with a (parallel) index-only scan and never
touches the table (16.5 million votes in about a second, docs/benchmarks.md). The small
one counts the votes with an active (not revoked) exclusion per entry × region, starting
from the exclusions; counted = all − excluded. Totals per entry are sums of the cells.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from smartdialog.reference.models import Region

from .models import Ballot, BallotEntry, Vote, VoteExclusion


@dataclass
class EntryTally:
    entry: BallotEntry
    counted: int = 0
    excluded: int = 0
    regions: dict[str, int] = field(default_factory=dict)
    """Region code → counted votes (with counted_only=False: all votes, excluded included
    in `excluded_regions`)."""
    excluded_regions: dict[str, int] = field(default_factory=dict)


@dataclass
class Tally:
    ballot: Ballot
    entries: list[EntryTally]
    regions: dict[str, Region]

    @property
    def counted(self) -> int:
        return sum(e.counted for e in self.entries)

    @property
    def excluded(self) -> int:
        return sum(e.excluded for e in self.entries)

    def sections(self) -> list[tuple]:
        """(section, [EntryTally]) in ballot order, entries by counted votes, most first."""
        grouped: dict = {}
        for row in self.entries:
            grouped.setdefault(row.entry.section, []).append(row)
        return [
            (section, sorted(rows, key=lambda r: (-r.counted, r.entry.order)))
            for section, rows in sorted(grouped.items(), key=lambda item: item[0].order)
        ]


def excluded_exists():
    """Whether a vote (OuterRef pk) has an active exclusion: the counted/excluded split."""
    """Per vote: has it an active exclusion? (For lists of votes, not for the tally.)"""
    return Exists(VoteExclusion.objects.filter(vote=OuterRef("pk"), revoked_at__isnull=True))


def tally(ballot: Ballot, *, counted_only: bool = True) -> Tally:
    """Per entry: counted and excluded votes; per entry × region: counted votes (and, with
    counted_only=False, excluded votes by region too)."""
    entries = {
        e.pk: EntryTally(entry=e)
        for e in BallotEntry.objects.filter(section__ballot=ballot)
        .select_related("section", "submission__organization__region")
        .order_by("section__order", "order")
    }
    every = (
        Vote.objects.filter(entry_id__in=list(entries))
        .order_by()
        .values_list("entry_id", "region_id")
        .annotate(votes=Count("*"))
    )
    excluded = dict(
        ((entry_id, region_id), votes)
        for entry_id, region_id, votes in VoteExclusion.objects.filter(
            revoked_at__isnull=True, vote__ballot=ballot
        )
        .order_by()
        .values_list("vote__entry_id", "vote__region_id")
        .annotate(votes=Count("*"))
    )
    regions = {r.pk: r for r in Region.objects.all()}
    for entry_id, region_id, votes in every:
        target = entries[entry_id]
        code = regions[region_id].code
        apart = excluded.get((entry_id, region_id), 0)
        target.counted += votes - apart
        target.excluded += apart
        if votes - apart:
            target.regions[code] = votes - apart
        if apart and not counted_only:
            target.excluded_regions[code] = apart
    return Tally(
        ballot=ballot,
        entries=list(entries.values()),
        regions={r.code: r for r in regions.values()},
    )


def sealed_totals(ballot: Ballot, *, upto: int | None = None) -> dict[int, int]:
    """Sealed votes per entry id (of batches 1…upto), excluded ones included: what the
    public log must add up to."""
    votes = Vote.objects.filter(ballot=ballot, batch__isnull=False)
    if upto is not None:
        votes = votes.filter(batch__number__lte=upto)
    rows = votes.order_by().values_list("entry_id").annotate(n=Count("id"))
    return dict(rows)
