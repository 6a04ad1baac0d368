"""Running the 2023 evaluation through the real services, on a moving clock, without mail."""

import datetime
import io
import random
import time
from contextlib import ExitStack
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from smartdialog.accounts.demo import DEMO_PASSWORD, demo_email
from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.submissions import services as submission_services
from smartdialog.submissions.demo.data import MOSCOW
from smartdialog.submissions.demo.run import Clock, _no_mail
from smartdialog.submissions.selectors import admitted_in

from .. import pool, services
from ..enums import ReviewState
from ..models import Decision, Expert, Finalist, Review, ReviewAssignment
from .data import HIGH_NOTES, LOW_NOTES, OVERALL
from .featured import ensure_featured
from .meeting import choose, decide
from .people import ensure_experts, ensure_members

ASSIGNED_AT = datetime.datetime(2023, 7, 3, 10, 0, tzinfo=MOSCOW)
REVIEWS_FROM = datetime.datetime(2023, 7, 4, 9, 0, tzinfo=MOSCOW)
REVIEW_DAYS = 110  # until 22 October, well before the stage closes on 31 October
FEATURED_QUALITY = 9.0


def decided(edition) -> bool:
    """Every nomination has a current decision an organiser confirmed."""
    confirmed = (
        Decision.objects.filter(
            nomination__edition=edition, is_current=True, confirmed_at__isnull=False
        )
        .values("nomination")
        .distinct()
        .count()
    )
    return confirmed == edition.nominations.count() > 0


def _demo_user(edition, role):
    user = get_user_model().objects.filter(email=demo_email(role)).first()
    if user is None or not has_role(user, edition, role):
        raise ValueError(f"no demo {role} in edition {edition.year}: run seed_demo first")
    return user


def _assign(edition, *, organiser, clock, out):
    clock.moment = ASSIGNED_AT
    result = services.run_assignment(edition, by=organiser)
    if result.problems:
        # The pool should be large enough; if not, give the nominations' experts more room once.
        for problem in result.problems:
            out.write(f"  assignment problem: {problem.message}\n")
        codes = {p.nomination for p in result.problems}
        for expert in services.accepted_experts(edition):
            if {n.code for n in expert.nominations.all()} & codes:
                pool.update_expert(expert, by=organiser, capacity=expert.capacity + 10)
        result = services.run_assignment(edition, by=organiser)
        for problem in result.problems:
            out.write(f"  still a problem: {problem.message}\n")
    out.write(f"Assignment on {ASSIGNED_AT:%d.%m.%Y}: {len(result.pairs)} new pairs.\n")
    return result


def _qualities(edition, featured: dict, rng) -> dict[int, float]:
    """Application id → the quality its reviews are drawn around; winners lead their
    nominations."""
    winners = {s.pk for s in featured.values()}
    quality = {}
    for pk in admitted_in(edition).order_by("pk").values_list("pk", flat=True):
        drawn = min(max(rng.gauss(6.0, 1.1), 2.5), 8.0)
        quality[pk] = FEATURED_QUALITY if pk in winners else drawn
    return quality


def _biases(edition, rng) -> dict[int, float]:
    """Expert id → strictness: about a fifth strict, a fifth lenient."""
    out = {}
    for pk in Expert.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True):
        kind = rng.random()
        out[pk] = -0.9 if kind < 0.2 else 0.9 if kind > 0.8 else rng.gauss(0, 0.3)
    return out


def _values(criteria, quality: float, bias: float, rng) -> tuple[dict, str]:
    values = {}
    for criterion in criteria:
        score = round(quality + bias + rng.gauss(0, 0.8))
        score = min(max(score, criterion.scale_min), criterion.scale_max)
        note = ""
        if score == criterion.scale_max:
            note = rng.choice(HIGH_NOTES)
        elif score == criterion.scale_min:
            note = rng.choice(LOW_NOTES)
        values[criterion.pk] = (score, note)
    band = "high" if quality + bias >= 7.5 else "low" if quality + bias < 4.5 else "middle"
    return values, rng.choice(OVERALL[band])


def _score(edition, featured, *, clock, rng, out) -> int:
    """A submitted review for every active assignment that lacks one, in time order."""
    criteria = list(edition.criteria.order_by("order", "pk"))
    quality = _qualities(edition, featured, rng)
    bias = _biases(edition, rng)
    assignments = list(
        ReviewAssignment.objects.filter(expert__edition=edition, withdrawn_at__isnull=True)
        .select_related("expert__user")
        .order_by("pk")
    )
    done = set(
        Review.objects.filter(assignment__in=assignments, state=ReviewState.SUBMITTED).values_list(
            "assignment_id", flat=True
        )
    )
    moments = []
    for a in assignments:
        day = rng.randrange(REVIEW_DAYS)
        minute = rng.randrange(9 * 60, 22 * 60)
        when = REVIEWS_FROM + datetime.timedelta(days=day, minutes=minute - 9 * 60)
        moments.append((when, a.pk, a))
    count = 0
    for when, _pk, a in sorted(moments, key=lambda m: m[:2]):
        values, comment = _values(criteria, quality[a.submission_id], bias[a.expert_id], rng)
        if a.pk in done:
            continue
        clock.moment = when
        services.save_review(a, by=a.expert.user, values=values, comment=comment, submit=True)
        count += 1
        if count % 500 == 0:
            out.write(f"  {count} reviews…\n")
    out.write(f"Reviews: {count} submitted (of {len(assignments)} assignments).\n")
    return count


def _check_admitted(edition) -> None:
    short = []
    for nomination in edition.nominations.order_by("order", "code"):
        n = admitted_in(edition).filter(nomination=nomination).count()
        if n < 3:
            short.append(f"{nomination.code}: {n}")
    if short:
        raise ValueError(
            "nominations with fewer than 3 admitted applications ("
            + ", ".join(short)
            + "): run seed_intake with a larger --size or another --seed"
        )


@transaction.atomic
def generate_reviews(edition, *, seed: int = 1, stdout=None) -> dict:
    """The 2023 evaluation of `edition` (see the package docstring); idempotent."""
    out = stdout or io.StringIO()
    began = time.monotonic()
    if decided(edition):
        out.write(f"Edition {edition.year}: every nomination has a confirmed decision already.\n")
        return {**counts(edition), "created": False, "seconds": 0.0, "pdf_seconds": 0.0}
    organiser = _demo_user(edition, Role.ORGANISER)
    moderator = _demo_user(edition, Role.MODERATOR)
    rng = random.Random(seed)
    directions = {d.number: d for d in edition.directions.order_by("number")}
    clock = Clock(ASSIGNED_AT)
    password = make_password(DEMO_PASSWORD)
    timings = {}
    with ExitStack() as patches:
        patches.enter_context(mock.patch("django.utils.timezone.now", clock))
        patches.enter_context(mock.patch.object(submission_services, "enqueue", _no_mail))
        patches.enter_context(mock.patch.object(pool, "enqueue", _no_mail))
        patches.enter_context(
            mock.patch(
                "django.contrib.auth.base_user.make_password",
                lambda raw, *a, **k: (
                    password if raw == DEMO_PASSWORD else make_password(raw, *a, **k)
                ),
            )
        )
        step = time.monotonic()
        featured = ensure_featured(edition, clock=clock, moderator=moderator, seed=seed, out=out)
        _check_admitted(edition)
        admitted = {}
        for number in admitted_in(edition).values_list("nomination__direction__number", flat=True):
            admitted[number] = admitted.get(number, 0) + 1
        ensure_experts(
            edition,
            directions=directions,
            admitted=admitted,
            clock=clock,
            organiser=organiser,
            rng=rng,
            out=out,
        )
        timings["setup"] = time.monotonic() - step
        step = time.monotonic()
        _assign(edition, organiser=organiser, clock=clock, out=out)
        timings["assignment"] = time.monotonic() - step
        step = time.monotonic()
        _score(edition, featured, clock=clock, rng=rng, out=out)
        timings["reviews"] = time.monotonic() - step
        step = time.monotonic()
        choose(edition, featured, organiser=organiser, clock=clock, rng=rng, out=out)
        members = ensure_members(edition, directions=directions, organiser=organiser, rng=rng)
        timings["pdf"] = decide(
            edition,
            featured,
            directions=directions,
            members=members,
            organiser=organiser,
            clock=clock,
            rng=rng,
            out=out,
        )
        timings["decisions"] = time.monotonic() - step
    result = {
        **counts(edition),
        "created": True,
        "seconds": round(time.monotonic() - began, 1),
        "pdf_seconds": round(timings["pdf"], 1),
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }
    return result


def counts(edition) -> dict:
    from .meeting import public_winners

    winners = public_winners(edition)
    return {
        "experts": Expert.objects.filter(edition=edition).count(),
        "assignments": ReviewAssignment.objects.filter(
            expert__edition=edition, withdrawn_at__isnull=True
        ).count(),
        "reviews": Review.objects.filter(
            assignment__expert__edition=edition, state=ReviewState.SUBMITTED
        ).count(),
        "finalists": Finalist.objects.filter(nomination__edition=edition).count(),
        "decisions": Decision.objects.filter(nomination__edition=edition, is_current=True).count(),
        "winners": len(winners),
        "regions": len({w.region.pk for w in winners}),
    }
