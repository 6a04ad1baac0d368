"""The figures of the summary as plain JSON: the rules are in the package docstring."""

from django.utils import timezone, translation

from smartdialog.reference.models import Region
from smartdialog.submissions import analytics
from smartdialog.voting.models import Ballot

from .. import figures as vote_figures
from .text import CLOSE_SECOND

ACTIVE_REGIONS = 6
BREAKDOWN_REGIONS = 5
BREAKDOWN_MIN_VOTES = 2
UNUSUAL_LIFT = 2.0
UNUSUAL_MIN_VOTES = 20
DISTRICT_SOURCES = 4
CAPITALS = ("77", "78")
"""Moscow and St Petersburg, said together as «столичные города», apart from their districts."""
NEW_REGIONS = ("93", "94", "90", "95")
"""ДНР, ЛНР, Запорожская and Херсонская области (FTS codes), subjects since October 2022."""


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def _top_regions(practice) -> list[str]:
    ranked = sorted(practice.regions.items(), key=lambda item: (-item[1], item[0]))
    return [code for code, n in ranked[:BREAKDOWN_REGIONS] if n >= BREAKDOWN_MIN_VOTES]


def _unusual(practice, section_regions: dict[str, int], section_votes: int) -> list[dict]:
    """Regions where the practice drew a larger share of the section's votes than overall."""
    if not practice.counted:
        return []
    overall = practice.counted / section_votes
    rows = []
    for code, n in practice.regions.items():
        if code == practice.region_code or n < UNUSUAL_MIN_VOTES:
            continue
        lift = n / section_regions[code] / overall
        if lift >= UNUSUAL_LIFT:
            rows.append({"region": code, "votes": n, "lift": round(lift, 3)})
    return sorted(rows, key=lambda row: (-row["lift"], row["region"]))


def _district_sources(practice, district_of: dict[str, str]) -> list[str]:
    """The practice's biggest sources of votes by federal district, the two capitals counted
    apart as "capitals": the DISTRICT_SOURCES largest, most first."""
    totals: dict[str, int] = {}
    for code, n in practice.regions.items():
        key = "capitals" if code in CAPITALS else district_of[code]
        totals[key] = totals.get(key, 0) + n
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [key for key, n in ranked[:DISTRICT_SOURCES] if n >= BREAKDOWN_MIN_VOTES]


def _section(section, district_of: dict[str, str]) -> dict:
    votes = section.counted
    regions: dict[str, int] = {}
    for practice in section.practices:
        for code, n in practice.regions.items():
            regions[code] = regions.get(code, 0) + n
    practices = [
        {
            "title": p.title,
            "organization": p.organization,
            "region": p.region_code,
            "votes": p.counted,
            "excluded": p.excluded,
            "rank": p.rank,
            "multiple": float(p.multiple) if p.multiple is not None else None,
            "regions": dict(sorted(p.regions.items(), key=lambda item: (-item[1], item[0]))),
            "top_regions": _top_regions(p),
            "unusual": _unusual(p, regions, votes),
            "districts": _district_sources(p, district_of),
            "new_regions": {code: p.regions[code] for code in NEW_REGIONS if code in p.regions},
        }
        for p in section.practices
    ]
    data = {"title": section.title, "votes": votes, "practices": practices, "top_multiple": None}
    if len(practices) > 1 and practices[0]["top_regions"]:
        leader, others = practices[0], practices[1:]
        top = leader["top_regions"]
        from_top = sum(leader["regions"][code] for code in top)
        others_mean = sum(p["regions"].get(code, 0) for p in others for code in top) / len(others)
        data["top_multiple"] = {
            "regions": top,
            "leader": from_top,
            "others_mean": round(others_mean, 3),
            "ratio": _ratio(from_top, others_mean),
        }
    return data


def _moscow_date(moment) -> str:
    return timezone.localtime(moment, vote_figures.MOSCOW).date().isoformat()


def numbers_for(edition, figures=None) -> dict:
    """Every figure the summary uses, as JSON-able data (`figures`: a precomputed
    `results.figures.Figures`, else computed now)."""
    ballot = Ballot.objects.filter(edition=edition).first()
    with translation.override("ru"):
        directions = analytics.by_direction(analytics.applications(edition))
    numbers = {
        "edition": edition.year,
        "contest": edition.title,
        "computed_at": timezone.now().isoformat(),
        "rules": {
            "active_regions": ACTIVE_REGIONS,
            "breakdown_regions": BREAKDOWN_REGIONS,
            "breakdown_min_votes": BREAKDOWN_MIN_VOTES,
            "close_second_percent": round(CLOSE_SECOND * 100),
            "unusual_lift": UNUSUAL_LIFT,
            "unusual_min_votes": UNUSUAL_MIN_VOTES,
            "district_sources": DISTRICT_SOURCES,
        },
        "applications": {
            "total": sum(d["submitted"] for d in directions),
            "directions": sorted(
                ({"title": d["title"], "count": d["submitted"]} for d in directions),
                key=lambda d: -d["count"],
            ),
        },
        "window": None,
        "voters": 0,
        "votes": 0,
        "excluded": 0,
        "active_regions": [],
        "new_regions": {},
        "sections": [],
        "regions": {},
    }
    if ballot is None:
        return numbers
    figures = figures or vote_figures.compute(ballot)
    district_of = dict(Region.objects.values_list("code", "federal_district__code"))
    numbers.update(
        window={
            "opens": _moscow_date(ballot.opens_at),
            "closes": _moscow_date(ballot.closes_at),
            "closed": figures.computed_at >= ballot.closes_at,
        },
        computed_at=figures.computed_at.isoformat(),
        voters=figures.voters,
        votes=figures.counted,
        excluded=figures.excluded,
        active_regions=[
            {"region": r.code, "voters": r.voters} for r in figures.most_active(ACTIVE_REGIONS)
        ],
        new_regions={
            code: figures.regions[code].voters
            for code in NEW_REGIONS
            if code in figures.regions and figures.regions[code].voters
        },
        sections=[_section(s, district_of) for s in figures.sections],
    )
    codes = set(figures.regions) | {p.region_code for p in figures.practices}
    numbers["regions"] = {
        r.code: {"name": r.name, "kind": r.kind}
        for r in Region.objects.filter(code__in=codes).order_by("code")
    }
    return numbers
