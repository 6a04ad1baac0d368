"""Ranking of a nomination's applications from submitted reviews.

Each review gives a weighted total (Σ weight × score / Σ weight). An application's score is
the mean of its reviews' totals, or, with normalisation, the mean of the experts' z-scores
(each expert's totals centred on their own mean and divided by their own spread), so a strict
and a lenient expert count alike. Equal scores share a rank (1, 1, 3).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .enums import ReviewState
from .models import Review


@dataclass
class Ranked:
    submission_id: int
    rank: int
    score: float | None
    totals: list[float]
    submitted: int
    missing: int
    disagreement: bool


def review_total(scores: list[tuple[Decimal, int]]) -> float:
    """Weighted mean of (weight, value) pairs."""
    weight = sum(w for w, _v in scores)
    return float(sum(w * v for w, v in scores) / weight) if weight else 0.0


def _totals(edition) -> dict[int, list[tuple[int, float]]]:
    """submission id → [(expert id, total)] over submitted reviews of the edition."""
    by_review = defaultdict(list)
    reviews = Review.objects.filter(
        state=ReviewState.SUBMITTED,
        assignment__expert__edition=edition,
        assignment__withdrawn_at__isnull=True,
    ).values_list(
        "pk",
        "assignment__submission_id",
        "assignment__expert_id",
        "scores__criterion__weight",
        "scores__value",
    )
    keys = {}
    for review_id, submission_id, expert_id, weight, value in reviews:
        keys[review_id] = (submission_id, expert_id)
        if weight is not None:
            by_review[review_id].append((weight, value))
    totals = defaultdict(list)
    for review_id, (submission_id, expert_id) in keys.items():
        totals[submission_id].append((expert_id, review_total(by_review[review_id])))
    return totals


def _z_scores(totals: dict[int, list[tuple[int, float]]]) -> dict[int, list[float]]:
    per_expert = defaultdict(list)
    for entries in totals.values():
        for expert_id, total in entries:
            per_expert[expert_id].append(total)
    centre = {e: statistics.fmean(v) for e, v in per_expert.items()}
    spread = {e: statistics.pstdev(v) for e, v in per_expert.items()}
    return {
        s: [(t - centre[e]) / spread[e] if spread[e] else 0.0 for e, t in entries]
        for s, entries in totals.items()
    }


def rank(
    submission_ids: list[int], edition, *, k: int, normalise: bool, threshold: float
) -> list[Ranked]:
    """The ranking of `submission_ids` (one nomination), best first, ties sharing a rank."""
    totals = _totals(edition)
    scored = (
        _z_scores(totals)
        if normalise
        else {s: [t for _e, t in entries] for s, entries in totals.items()}
    )
    rows = []
    for sid in submission_ids:
        values = scored.get(sid, [])
        raw = [t for _e, t in totals.get(sid, [])]
        rows.append(
            Ranked(
                submission_id=sid,
                rank=0,
                score=round(statistics.fmean(values), 4) if values else None,
                totals=[round(t, 2) for t in raw],
                submitted=len(raw),
                missing=max(k - len(raw), 0),
                disagreement=bool(raw) and max(raw) - min(raw) > threshold,
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0)))
    previous, position = object(), 0
    for index, row in enumerate(rows, start=1):
        if row.score != previous:
            position, previous = index, row.score
        row.rank = position
    return rows
