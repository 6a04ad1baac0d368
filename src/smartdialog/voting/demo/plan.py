"""Planning the demo vote without the database: who votes, from where, when, for what.

`plan_vote(districts, seed=, scale=)` turns the figures of `data.py` into a list of
`PlannedVoter`, sorted by the moment of voting. The published cells (practice × region) are
exact; the rest of each practice's votes is apportioned over the other regions by weights
(activity, home region, federal district) with seeded noise, so the seed changes the long
tail and the times, never a published figure. Each region's votes are then dealt to its
voters so that every voter chooses in 1–3 sections, one practice per section.
"""

import datetime
import math
import random
from dataclasses import dataclass

from . import data

SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
NOISE = 0.3  # sigma of the log-normal noise on a region's weight for a practice


@dataclass(frozen=True)
class PlannedVoter:
    phone: str
    region: str
    choices: tuple[str, ...]  # nomination codes, at most one per section (direction)
    code_at: datetime.datetime  # the SMS code was requested
    verified_at: datetime.datetime  # the code was entered: the voter exists from here
    cast_at: datetime.datetime
    code: str  # the six digits that were sent (only their hash is stored)
    ip: str
    user_agent: str
    cluster: str = ""  # the planted cluster's name; "" for an ordinary voter


def section_of(practice: str) -> str:
    """Nomination 2.3 is on the ballot in the section of direction 2."""
    return practice.split(".", 1)[0]


def apportion(total: int, weights: dict[str, float], cap: int | None = None) -> dict[str, int]:
    """Split `total` in proportion to `weights` (largest remainders, ties by key); with a
    cap, no share exceeds it and the excess goes to the others."""
    shares = dict.fromkeys(weights, 0)
    pool = {k: w for k, w in weights.items() if w > 0}
    left = total
    while left > 0 and pool:
        whole = sum(pool.values())
        exact = {k: left * w / whole for k, w in pool.items()}
        given = {k: math.floor(v) for k, v in exact.items()}
        rest = left - sum(given.values())
        for k in sorted(pool, key=lambda k: (given[k] - exact[k], k))[:rest]:
            given[k] += 1
        over = {k for k, n in given.items() if cap is not None and shares[k] + n > cap}
        if not over:
            for k, n in given.items():
                shares[k] += n
            return shares
        for k in sorted(over):
            left -= cap - shares[k]
            shares[k] = cap
            del pool[k]
    if left > 0:
        raise ValueError(f"cannot place {left} more votes under the cap {cap}")
    return shares


def _scaled(value: int, scale: float) -> int:
    return round(value * scale)


def practice_cells(districts: dict[str, str], rng, scale: float) -> dict[str, dict[str, int]]:
    """Votes per practice × region code."""
    activity = {code: data.ACTIVITY.get(code, data.DEFAULT_ACTIVITY) for code in districts}
    activity.update({code: w for code, w in data.QUIET.items() if code in districts})
    cells = {}
    for practice, votes in data.VOTES.items():
        fixed = {r: _scaled(n, scale) for r, n in data.FIXED.get(practice, {}).items()}
        weights = {}
        for region in sorted(districts):
            if region in fixed:
                continue
            weight = activity[region] ** data.FLATTEN.get(practice, 1.0)
            if data.HOME[practice] == region:
                weight *= data.HOME_WEIGHT
            weight *= data.DISTRICT_WEIGHT.get(practice, {}).get(districts[region], 1.0)
            weights[region] = weight * rng.lognormvariate(0, NOISE)
        cap = data.CAP.get(practice)
        rest = _scaled(votes, scale) - sum(fixed.values())
        spread = apportion(rest, weights, None if cap is None else _scaled(cap, scale))
        cells[practice] = {r: n for r, n in (fixed | spread).items() if n}
    return cells


def voters_per_region(by_region: dict[str, dict[str, int]], total: int) -> dict[str, int]:
    """How many voters each region's votes (section → count) come from, `total` in all:
    about in proportion to its votes, at least its largest section, at most its votes."""
    votes = {r: sum(c.values()) for r, c in by_region.items()}
    low = {r: max(c.values()) for r, c in by_region.items()}
    if not sum(low.values()) <= total <= sum(votes.values()):
        raise ValueError(f"{total} voters cannot cast {sum(votes.values())} votes")
    share = total / sum(votes.values())
    count = {r: min(max(round(n * share), low[r]), n) for r, n in votes.items()}
    order = sorted(votes, key=lambda r: (-votes[r], r))
    while (gap := total - sum(count.values())) != 0:
        step = 1 if gap > 0 else -1
        for r in order:
            if gap and low[r] <= count[r] + step <= votes[r]:
                count[r] += step
                gap -= step
    return count


def deal(sections: dict[str, list[str]], voters: int, rng) -> list[tuple[str, ...]]:
    """Deal a region's votes (section → practices chosen, one per vote) to `voters` voters,
    each choosing in 1–3 sections and once per section. Voters with the most sections still
    to fill get each section's votes first (Gale–Ryser), which always succeeds here."""
    counts = {s: len(v) for s, v in sections.items() if v}
    extra = sum(counts.values()) - voters
    all_three = min(min(counts.values()) if len(counts) == 3 else 0, extra // 2)
    all_three = min(all_three, round(extra * data.ALL_THREE / (1 + data.ALL_THREE)))
    all_three = max(all_three, extra - voters, 0)
    two = extra - 2 * all_three
    left = [3] * all_three + [2] * two + [1] * (voters - two - all_three)
    rng.shuffle(left)
    chosen: list[list[str]] = [[] for _ in range(voters)]
    for section in sorted(counts, key=lambda s: (-counts[s], s)):
        takers = sorted(range(voters), key=lambda i: -left[i])[: counts[section]]
        practices = list(sections[section])
        rng.shuffle(practices)
        for i, practice in zip(takers, practices, strict=True):
            chosen[i].append(practice)
            left[i] -= 1
    if any(left):
        raise ValueError("the votes cannot be dealt to the voters")
    return [tuple(sorted(c)) for c in chosen]


def _hour_weights(shift: int) -> list[float]:
    """Weight of every hour of the window for a voter `shift` hours ahead of Moscow."""
    days = (data.CLOSES_AT.date() - data.OPENS_AT.date()).days + 1
    weights = []
    for hour in range(days * 24):
        moment = data.OPENS_AT + hour * HOUR
        day = hour // 24
        if day < len(data.LAUNCH_DAYS):
            factor = data.LAUNCH_DAYS[day]
        elif day >= days - len(data.FINAL_DAYS):
            factor = data.FINAL_DAYS[day - days + len(data.FINAL_DAYS)]
        else:
            factor = data.WEEKEND if moment.weekday() >= 5 else 1.0
        weights.append(factor * data.HOURLY[(moment.hour + shift) % 24])
    return weights


class Clock:
    """Moments of voting: an hour drawn by weight, then a second within it."""

    def __init__(self, rng):
        self.rng = rng
        self.cumulative = {}
        for shift in {0, *data.UTC_SHIFT.values()}:
            total, cumulative = 0.0, []
            for weight in _hour_weights(shift):
                total += weight
                cumulative.append(total)
            self.cumulative[shift] = cumulative

    def moment(self, shift: int) -> datetime.datetime:
        cumulative = self.cumulative[shift]
        hour = self.rng.choices(range(len(cumulative)), cum_weights=cumulative)[0]
        start = max(data.OPENS_AT + hour * HOUR, data.OPENS_AT + data.CODE_SECONDS[1] * SECOND)
        end = min(data.OPENS_AT + (hour + 1) * HOUR, data.CLOSES_AT)
        return start + (end - start) * self.rng.random()


def _session(rng, cast_at, delay_range) -> tuple[datetime.datetime, datetime.datetime]:
    """(code requested, code entered) before a vote cast at `cast_at`."""
    delay = rng.uniform(*delay_range) * SECOND
    code_at = cast_at - delay
    return code_at, code_at + delay * rng.uniform(0.25, 0.6)


def _phones(rng, count: int, taken: set[str]) -> list[str]:
    phones: list[str] = []
    seen = set(taken)
    while len(phones) < count:
        phone = f"+7{rng.choice(data.MOBILE_CODES)}{rng.randrange(10**7):07d}"
        if phone not in seen:
            seen.add(phone)
            phones.append(phone)
    return phones


def _clusters(rng, scale: float) -> list[PlannedVoter]:
    planted = []
    for cluster in data.CLUSTERS:
        size = max(1, _scaled(cluster["voters"], scale))
        spacing = cluster["minutes"] * 60 / size
        for i in range(size):
            cast_at = cluster["start"] + (i * spacing + rng.uniform(0, spacing / 2)) * SECOND
            code_at, verified_at = _session(rng, cast_at, data.CLUSTER_CODE_SECONDS)
            planted.append(
                PlannedVoter(
                    phone=f"+{cluster['first_phone'] + i}",
                    region=cluster["region"],
                    choices=(cluster["practice"],),
                    code_at=code_at,
                    verified_at=verified_at,
                    cast_at=cast_at,
                    code=f"{rng.randrange(10**6):06d}",
                    ip=f"{cluster['subnet']}.{rng.randint(2, 254)}",
                    user_agent=cluster["user_agent"],
                    cluster=cluster["name"],
                )
            )
    return planted


def plan_vote(districts: dict[str, str], *, seed: int = 1, scale: float = 1.0):
    """Every voter of the demo vote, by the moment of voting. `districts` maps each region's
    code to its federal district's code; `scale` shrinks every figure (for quick tests)."""
    rng = random.Random(seed)
    cells = practice_cells(districts, rng, scale)
    by_region: dict[str, dict[str, list[str]]] = {}
    for practice, regions in cells.items():
        for region, n in regions.items():
            sections = by_region.setdefault(region, {})
            sections.setdefault(section_of(practice), []).extend([practice] * n)
    counts = voters_per_region(
        {r: {s: len(p) for s, p in sections.items()} for r, sections in by_region.items()},
        _scaled(data.VOTERS, scale),
    )
    planted = _clusters(rng, scale)
    phones = iter(_phones(rng, sum(counts.values()), {v.phone for v in planted}))
    agents, agent_weights = zip(*data.USER_AGENTS, strict=True)
    clock = Clock(rng)
    voters = []
    for region in sorted(by_region):
        shift = data.UTC_SHIFT.get(districts[region], 0)
        for choices in deal(by_region[region], counts[region], rng):
            cast_at = clock.moment(shift)
            code_at, verified_at = _session(rng, cast_at, data.CODE_SECONDS)
            voters.append(
                PlannedVoter(
                    phone=next(phones),
                    region=region,
                    choices=choices,
                    code_at=code_at,
                    verified_at=verified_at,
                    cast_at=cast_at,
                    code=f"{rng.randrange(10**6):06d}",
                    ip=".".join(
                        str(n)
                        for n in (
                            rng.choice(data.IP_FIRST_OCTETS),
                            rng.randrange(256),
                            rng.randrange(256),
                            rng.randint(1, 254),
                        )
                    ),
                    user_agent=rng.choices(agents, weights=agent_weights)[0],
                )
            )
    return sorted(voters + planted, key=lambda v: (v.cast_at, v.phone))
