"""Counting by aggregation over the votes: no counter rows, so casting never waits on one.

Two aggregate queries: totals per entry, and counts per entry × region. A vote with an
active (not revoked) exclusion is counted apart as excluded.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

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


def _excluded():
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
    votes = Vote.objects.filter(ballot=ballot).annotate(is_excluded=_excluded())
    totals = (
        votes.order_by()
        .values("entry_id")
        .annotate(
            counted=Count("id", filter=Q(is_excluded=False)),
            excluded=Count("id", filter=Q(is_excluded=True)),
        )
    )
    for row in totals:
        entries[row["entry_id"]].counted = row["counted"]
        entries[row["entry_id"]].excluded = row["excluded"]
    by_region = votes.filter(is_excluded=False) if counted_only else votes
    by_region = by_region.order_by().values("entry_id", "region_id")
    if counted_only:
        by_region = by_region.annotate(counted=Count("id"))
    else:
        by_region = by_region.annotate(
            counted=Count("id", filter=Q(is_excluded=False)),
            excluded=Count("id", filter=Q(is_excluded=True)),
        )
    regions = {r.pk: r for r in Region.objects.all()}
    for row in by_region:
        target = entries[row["entry_id"]]
        code = regions[row["region_id"]].code
        if row["counted"]:
            target.regions[code] = row["counted"]
        if row.get("excluded"):
            target.excluded_regions[code] = row["excluded"]
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
