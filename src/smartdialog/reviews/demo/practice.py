"""The practice edition made ready for expert evaluation, through the real services.

`ensure_practice(edition, seed=1)` runs after `seed_demo`, which gives the practice edition
of the current year an intake and an expert evaluation open now. It prepares what a visitor
needs to walk through the evaluation in the browser (`walk_through` says how):

1. 12 admitted applications, 4 in each of nominations 1.1, 2.3 and 3.1, from 12 demo
   organisations in 12 regions (`practice-orgNN@demo-review.smartdialog.ru`), registered,
   filled, submitted, taken into moderation and admitted by the demo moderator on the real
   clock, as the intake generator does it;
2. an expert pool of six in those nominations, the demo expert and
   `practice-expertN@demo-review.smartdialog.ru`, capacity 10 each, from regions none of the
   applicants is from (or none), all accepted; K = 3;
3. one working group for the three nominations: the demo working-group account and
   `practice-wgN@demo-review.smartdialog.ru`, quorum 2.

The assignment, the scores, the finalists and the decision are left to the visitor. As in
the 2023 generators, no mail is queued and the demo password is hashed once. Everything
happens in one transaction; what is there is left alone, so a second run adds nothing.
"""

import dataclasses
import io
import random
from contextlib import ExitStack
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.db import transaction

from smartdialog.accounts.demo import DEMO_PASSWORD, demo_email, ensure_user
from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.accounts.services import grant_role
from smartdialog.contests.enums import StageKind
from smartdialog.contests.selectors import editions_open_for_intake
from smartdialog.reference.models import Region
from smartdialog.submissions import services as submission_services
from smartdialog.submissions.demo.plan import AppPlan, Planner
from smartdialog.submissions.demo.run import Runner, _no_mail
from smartdialog.submissions.selectors import admitted_in

from .. import decisions, pool, services
from ..enums import ExpertStatus
from ..models import Expert, WorkingGroup
from .data import REVIEW_DOMAIN
from .featured import numbers
from .people import _keywords, person
from .run import _demo_user

CODES = ("1.1", "2.3", "3.1")
# One organisation per application, each from its own region; kinds by place in a nomination.
APPLICANT_REGIONS = {
    "1.1": ("66", "16", "52", "54"),
    "2.3": ("23", "02", "61", "36"),
    "3.1": ("74", "38", "70", "25"),
}
KINDS = ("regional_executive", "state_institution", "ano", "state_institution")
SERIAL_BASE = 9100  # Runner keys organisations by serial: the intake's 1…, the winners' 9001…
NUMBER_BASE = 100  # featured.numbers(region, n): the 2023 winners have n = 1…13
MAIN_EXPERT_REGION = "59"  # Пермский край, as in 2023
EXPERT_REGIONS = ("77", "78", None, "47", None)  # practice-expert1…5: no applicant's region
CAPACITY = 10
MEMBERS = 2  # besides the demo working-group account
QUORUM = 2
GROUP_TITLE = "Рабочая группа учебного конкурса: номинации 1.1, 2.3 и 3.1"
REASON = "демо-данные: учебный конкурс"


class IntakeClosed(ValueError):
    """Applications are missing but the intake is over (a database older than the intake)."""


def org_email(n: int) -> str:
    return f"practice-org{n:02d}@{REVIEW_DOMAIN}"


def expert_email(n: int) -> str:
    return f"practice-expert{n}@{REVIEW_DOMAIN}"


def member_email(n: int) -> str:
    return f"practice-wg{n}@{REVIEW_DOMAIN}"


def practice_nominations(edition) -> list:
    return list(
        edition.nominations.filter(code__in=CODES)
        .select_related("direction")
        .order_by("order", "code")
    )


def practice_applications(edition):
    """The admitted applications this module made (their organisations' e-mails say so)."""
    return admitted_in(edition).filter(
        organization__contact_email__startswith="practice-org",
        organization__contact_email__endswith=f"@{REVIEW_DOMAIN}",
    )


# --- applications ----------------------------------------------------------------------------


def _plans(planner: Planner, nominations) -> list[AppPlan]:
    """Drawn in full every time, so one seed gives one set of applicants and passports."""
    apps = []
    for nomination in nominations:
        direction = nomination.direction.number
        regions = APPLICANT_REGIONS[nomination.code]
        for region, kind in zip(regions, KINDS, strict=True):
            n = len(apps) + 1
            inn, ogrn = numbers(region, NUMBER_BASE + n)
            org = dataclasses.replace(
                planner.organisation(direction, nomination.code, region, kind),
                serial=SERIAL_BASE + n,
                email=org_email(n),
                inn=inn,
                ogrn=ogrn,
            )
            app = AppPlan(
                index=n,
                nomination=nomination.code,
                org=org,
                scenario="admitted",
                title=planner.title(nomination.code, region),
            )
            planner.passport(app, direction, complete=True)
            apps.append(app)
    return apps


def _ensure_applications(edition, nominations, *, moderator, seed: int) -> int:
    planner = Planner(edition, sum(len(r) for r in APPLICANT_REGIONS.values()), seed)
    runner = Runner(edition, planner, moderator, {n.code: n for n in nominations})
    missing = [
        app
        for app in _plans(planner, nominations)
        if not edition.submissions.filter(organization__inn=app.org.inn).exists()
    ]
    if missing and not editions_open_for_intake().filter(pk=edition.pk).exists():
        raise IntakeClosed(
            f"the intake of edition {edition.year} is closed, so its practice applications "
            "cannot be submitted: start from a fresh database (make clean && make run)"
        )
    for app in missing:
        for action in ("create", "fill", "submit"):
            runner.run(app, action)
        submission_services.take_into_moderation(runner.subs[app.index], by=moderator)
        runner.run(app, "admit")
    return len(missing)


# --- experts and the working group -----------------------------------------------------------


def _ensure_experts(edition, nominations, *, organiser, rng) -> tuple[int, int]:
    """Invite the six experts into the three nominations and let each accept."""
    keywords = [_keywords(n.direction) for n in nominations]
    codes = [c for c in (MAIN_EXPERT_REGION, *EXPERT_REGIONS) if c]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    plan = [(demo_email(Role.EXPERT), None, MAIN_EXPERT_REGION)]
    plan += [
        (expert_email(n), person(rng), region) for n, region in enumerate(EXPERT_REGIONS, start=1)
    ]
    invited = accepted = 0
    for email, name, region in plan:
        expertise = "\n".join(word for words in keywords for word in rng.sample(words, 1))
        first, last = name or ("", "")
        user = ensure_user(email, first_name=first, last_name=last)
        expert = Expert.objects.filter(edition=edition, user=user).first()
        if expert is None:
            expert = pool.invite(
                edition,
                email,
                by=organiser,
                nominations=nominations,
                capacity=CAPACITY,
                region=regions.get(region),
                expertise=expertise,
            )
            invited += 1
        if expert.status == ExpertStatus.INVITED:
            pool.respond(expert, True, by=user)
            accepted += 1
    pool.save_settings(edition, by=organiser, evaluations_per_application=3)
    return invited, accepted


def _ensure_group(edition, nominations, *, organiser, rng) -> tuple[WorkingGroup, bool]:
    names = [person(rng) for _i in range(MEMBERS)]
    group = WorkingGroup.objects.filter(edition=edition, nominations__in=nominations).first()
    if group is not None:
        return group, False
    members = [ensure_user(demo_email(Role.WORKING_GROUP))]
    for n, (first, last) in enumerate(names, start=1):
        members.append(ensure_user(member_email(n), first_name=first, last_name=last))
    for user in members:
        if not has_role(user, edition, Role.WORKING_GROUP):
            grant_role(edition, user, Role.WORKING_GROUP, by=organiser, reason=REASON)
    group = WorkingGroup(edition=edition, title=GROUP_TITLE, quorum=QUORUM)
    group = decisions.save_working_group(
        group, members=members, nominations=nominations, by=organiser
    )
    return group, True


# --- the whole ---------------------------------------------------------------------------------


@transaction.atomic
def ensure_practice(edition, *, seed: int = 1, stdout=None) -> dict:
    """Make `edition` (the practice one) ready for the evaluation walk-through; idempotent.

    Returns what was made (`applications_made`, `invited`, `accepted`, `group_made`) and
    what is there (`applications`, `experts`, `group`, `evaluation_open`).
    """
    out = stdout or io.StringIO()
    if not edition.stages.filter(kind=StageKind.EVALUATION).exists():
        raise ValueError(f"edition {edition.year} has no evaluation stage: run seed_demo first")
    organiser = _demo_user(edition, Role.ORGANISER)
    moderator = _demo_user(edition, Role.MODERATOR)
    nominations = practice_nominations(edition)
    if [n.code for n in nominations] != list(CODES):
        raise ValueError(f"edition {edition.year} lacks one of the nominations {CODES}")
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)
    with ExitStack() as patches:
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
        made = _ensure_applications(edition, nominations, moderator=moderator, seed=seed)
        out.write(f"Applications: {made} admitted now.\n")
        invited, accepted = _ensure_experts(edition, nominations, organiser=organiser, rng=rng)
        out.write(f"Experts: {invited} invited, {accepted} accepted now.\n")
        group, group_made = _ensure_group(edition, nominations, organiser=organiser, rng=rng)
        out.write(f"Working group «{group.title}»: {'made' if group_made else 'already there'}.\n")
    return {
        "applications_made": made,
        "invited": invited,
        "accepted": accepted,
        "group_made": group_made,
        "applications": practice_applications(edition).count(),
        "experts": Expert.objects.filter(
            edition=edition, status=ExpertStatus.ACCEPTED, nominations__in=nominations
        )
        .distinct()
        .count(),
        "group": group,
        "evaluation_open": services.evaluation_open(edition),
    }


def walk_through(edition, group) -> list[str]:
    """The steps a visitor takes, account by account, with the pages' addresses."""
    year = edition.year
    nominations = {n.code: n for n in practice_nominations(edition)}
    first = nominations[CODES[0]]
    experts = ", ".join(expert_email(n) for n in range(1, len(EXPERT_REGIONS) + 1))
    return [
        f"1. {demo_email(Role.ORGANISER)}: /manage/{year}/reviews/ → «Распределить заявки»: "
        "each application gets 3 of the 6 experts, none from the applicant's region.",
        f"2. {demo_email(Role.EXPERT)}: /expert/ → an application of {year} "
        "(/expert/assignments/<id>/) → scores on the 5 criteria (the lowest and highest need "
        "a comment) → submit; or declare a conflict, and the solver fills the gap.",
        f"3. The other experts ({experts}) score theirs the same way; "
        f"{demo_email(Role.ORGANISER)} follows the live ranking at "
        f"/manage/{year}/reviews/nominations/{first.pk}/ranking/ "
        f"({', '.join(f'{c}: {n.pk}' for c, n in nominations.items())}).",
        f"4. {demo_email(Role.ORGANISER)}: /manage/{year}/reviews/nominations/<id>/finalists/ "
        "→ at least three finalists per nomination.",
        f"5. {demo_email(Role.WORKING_GROUP)} (or {member_email(1)}): "
        f"/manage/{year}/working-groups/{group.pk}/ → record the decision of a nomination "
        f"(quorum {group.quorum}) with its protocol PDF; {demo_email(Role.ORGANISER)} "
        "confirms it on the same page.",
    ]
