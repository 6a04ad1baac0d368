"""Finalists per nomination, shortfall decisions, and closing the evaluation; all audited.

The issue's rule: at least three finalists per nomination, and a reason whenever a
lower-ranked application is taken over a higher-ranked one. A nomination with fewer than
three admitted applications needs a recorded decision instead.
"""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from smartdialog.audit.services import record
from smartdialog.submissions.selectors import admitted_in

from .enums import MIN_FINALISTS, ReviewState, ShortfallChoice
from .models import Decision, Finalist, NominationShortfall, ReviewAssignment
from .ranking import Ranked, rank, review_total
from .services import settings_for


def admitted_of(nomination):
    return admitted_in(nomination.edition).filter(nomination=nomination)


def _numbers(nomination) -> dict[int, str]:
    """Application id → its number (SD-2023-00042), for messages and the audit trail."""
    out = {}
    for submission in admitted_of(nomination).select_related(None).only("pk"):
        submission.edition = nomination.edition
        out[submission.pk] = submission.number
    return out


def ranking_of(nomination) -> list[Ranked]:
    """The live ranking of a nomination with the edition's settings."""
    config = settings_for(nomination.edition)
    # Applications with equal scores keep their number order.
    ids = list(admitted_of(nomination).order_by("pk").values_list("pk", flat=True))
    return rank(
        ids,
        nomination.edition,
        k=config.evaluations_per_application,
        normalise=config.normalise,
        threshold=float(config.disagreement_threshold),
    )


def expert_totals(nomination) -> dict[int, list[tuple[str, float]]]:
    """Application id → [(expert e-mail, weighted total)] of submitted reviews; organisers
    see who gave what, experts never get this."""
    per_review, owner = defaultdict(list), {}
    rows = (
        ReviewAssignment.objects.filter(
            submission__nomination=nomination,
            withdrawn_at__isnull=True,
            review__state=ReviewState.SUBMITTED,
        )
        .order_by("expert__user__email")
        .values_list(
            "review__pk",
            "submission_id",
            "expert__user__email",
            "review__scores__criterion__weight",
            "review__scores__value",
        )
    )
    for review_id, sid, email, weight, value in rows:
        owner[review_id] = (sid, email)
        if weight is not None:
            per_review[review_id].append((weight, value))
    totals = defaultdict(list)
    for review_id, (sid, email) in owner.items():
        totals[sid].append((email, round(review_total(per_review[review_id]), 2)))
    return totals


def ranking_table(nomination) -> list[dict]:
    """The live ranking with places shown as ties («1–2») and named experts' totals."""
    ranking = ranking_of(nomination)
    submissions = {s.pk: s for s in admitted_of(nomination)}
    totals = expert_totals(nomination)
    sharing = Counter(row.rank for row in ranking)
    rows = []
    for row in ranking:
        submission = submissions[row.submission_id]
        submission.edition = nomination.edition
        last = row.rank + sharing[row.rank] - 1
        rows.append(
            {
                "row": row,
                "submission": submission,
                "place": f"{row.rank}–{last}" if last > row.rank else str(row.rank),
                "tied": last > row.rank,
                "totals": totals[row.submission_id],
            }
        )
    return rows


def skipped_over(ranking: list[Ranked], chosen: set[int]) -> dict[int, list[int]]:
    """Chosen id → ids ranked strictly higher that were left out (ties are not skipped)."""
    out = {}
    for row in ranking:
        if row.submission_id in chosen:
            higher = [
                r.submission_id
                for r in ranking
                if r.submission_id not in chosen and r.rank < row.rank
            ]
            if higher:
                out[row.submission_id] = higher
    return out


@transaction.atomic
def choose_finalists(
    nomination, submission_ids, *, by, reasons: dict | None = None, reason: str = ""
) -> list[Finalist]:
    """Replace the nomination's finalists with `submission_ids`.

    `reasons` maps a lower-ranked chosen id to why it is taken over the higher-ranked ones
    left out; `reason` is one reason for the whole choice and fills any gap.
    """
    reasons = {int(k): v.strip() for k, v in (reasons or {}).items() if v and v.strip()}
    if Decision.objects.filter(nomination=nomination, is_current=True).exists():
        raise ValidationError(
            _("The working group has already decided on nomination %(code)s.")
            % {"code": nomination.code}
        )
    ranking = ranking_of(nomination)
    by_id = {r.submission_id: r for r in ranking}
    chosen = {int(s) for s in submission_ids}
    if chosen - by_id.keys():
        raise ValidationError(_("Finalists are chosen from the admitted applications only."))
    if len(chosen) < MIN_FINALISTS:
        raise ValidationError(
            _("Choose at least %(min)s finalists in nomination %(code)s; you chose %(n)s.")
            % {"min": MIN_FINALISTS, "code": nomination.code, "n": len(chosen)}
        )
    numbers = _numbers(nomination)
    skipped = skipped_over(ranking, chosen)
    errors = []
    for sid, higher in skipped.items():
        if not (reasons.get(sid) or reason.strip()):
            errors.append(
                _("%(number)s (place %(rank)s) is taken over %(higher)s ranked higher: say why.")
                % {
                    "number": numbers[sid],
                    "rank": by_id[sid].rank,
                    "higher": ", ".join(numbers[h] for h in higher),
                }
            )
    if errors:
        raise ValidationError(errors)
    before = list(
        Finalist.objects.filter(nomination=nomination).values_list("submission_id", flat=True)
    )
    Finalist.objects.filter(nomination=nomination).delete()
    finalists = Finalist.objects.bulk_create(
        Finalist(
            nomination=nomination,
            submission_id=row.submission_id,
            rank=row.rank,
            score=row.score,
            reason=(reasons.get(row.submission_id) or reason.strip())
            if row.submission_id in skipped
            else "",
            chosen_by=by,
        )
        for row in ranking
        if row.submission_id in chosen
    )
    record(
        by,
        "reviews.finalists_chosen",
        nomination,
        edition=nomination.edition,
        before=sorted(numbers.get(s, s) for s in before),
        after={
            numbers[f.submission_id]: {"rank": f.rank, "score": f.score, "reason": f.reason}
            for f in finalists
        },
        reason=reason.strip(),
    )
    return finalists


@transaction.atomic
def record_shortfall(nomination, *, choice: str, reason: str, by, merged_into=None):
    """Organisers' decision for a nomination that cannot have three finalists."""
    admitted = admitted_of(nomination).count()
    if admitted >= MIN_FINALISTS:
        raise ValidationError(
            _("Nomination %(code)s has %(n)s admitted applications: choose its finalists.")
            % {"code": nomination.code, "n": admitted}
        )
    errors = {}
    if choice not in ShortfallChoice.values:
        errors["choice"] = _("Choose what happens to the nomination.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the decision.")
    if choice == ShortfallChoice.MERGE:
        if merged_into is None:
            errors["merged_into"] = _("Choose the nomination to merge into.")
        elif merged_into.edition_id != nomination.edition_id or merged_into.pk == nomination.pk:
            errors["merged_into"] = _("Choose another nomination of this edition.")
    else:
        merged_into = None
    if errors:
        raise ValidationError(errors)
    previous = NominationShortfall.objects.filter(nomination=nomination).first()
    before = {"choice": previous.choice, "reason": previous.reason} if previous else None
    shortfall, _created = NominationShortfall.objects.update_or_create(
        nomination=nomination,
        defaults={
            "choice": choice,
            "merged_into": merged_into,
            "reason": reason.strip(),
            "decided_by": by,
        },
    )
    after = {"choice": choice, "admitted": admitted}
    if merged_into:
        after["merged_into"] = merged_into.code
    record(by, "reviews.shortfall_recorded", shortfall, before=before, after=after, reason=reason)
    return shortfall


def evaluation_can_close(edition) -> list[str]:
    """Why the evaluation cannot close yet: one Russian message per unsettled nomination."""
    counts = {}
    for f in Finalist.objects.filter(nomination__edition=edition).values_list(
        "nomination_id", flat=True
    ):
        counts[f] = counts.get(f, 0) + 1
    settled = set(
        NominationShortfall.objects.filter(nomination__edition=edition).values_list(
            "nomination_id", flat=True
        )
    )
    admitted = {}
    for n in admitted_in(edition).values_list("nomination_id", flat=True):
        admitted[n] = admitted.get(n, 0) + 1
    problems = []
    for nomination in edition.nominations.order_by("order", "code"):
        if counts.get(nomination.pk, 0) >= MIN_FINALISTS or nomination.pk in settled:
            continue
        n = admitted.get(nomination.pk, 0)
        if n < MIN_FINALISTS:
            problems.append(
                f"номинация {nomination.code}: допущено заявок — {n}, меньше {MIN_FINALISTS}; "
                "запишите решение (продлить приём, объединить или объявить без победителя)"
            )
        else:
            problems.append(
                f"номинация {nomination.code}: финалистов {counts.get(nomination.pk, 0)}, "
                f"нужно не меньше {MIN_FINALISTS}"
            )
    return problems


@transaction.atomic
def close_evaluation(edition, *, by) -> None:
    """Refuse while a nomination is unsettled; otherwise record that the stage is closed."""
    problems = evaluation_can_close(edition)
    if problems:
        raise ValidationError(problems)
    record(
        by,
        "reviews.evaluation_closed",
        edition,
        edition=edition,
        after={
            "finalists": Finalist.objects.filter(nomination__edition=edition).count(),
            "shortfalls": NominationShortfall.objects.filter(nomination__edition=edition).count(),
        },
    )
