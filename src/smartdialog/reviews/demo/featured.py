"""The 13 winners of 2023 as admitted applications, made as the intake generator makes them."""

import datetime

from smartdialog.organizations.models import Organization
from smartdialog.organizations.selectors import members_of
from smartdialog.organizations.validators import INN10_WEIGHTS, inn_check_digit
from smartdialog.submissions.demo.data import MEN, MOSCOW, PATRONYMICS, REGIONS, SURNAMES, WOMEN
from smartdialog.submissions.demo.plan import AppPlan, OrgPlan, Planner
from smartdialog.submissions.demo.run import Runner
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission

from .data import featured_winners, winner_email

SERIAL_BASE = 9000  # Runner keys its organisations by serial; the intake's start at 1
FIRST_DAY = datetime.date(2023, 6, 10)


def numbers(region: str, n: int) -> tuple[str, str]:
    """A valid ИНН and ОГРН; the fifth digit 8 keeps them apart from the intake's 9…"""
    office = f"{region}01"
    base = f"{office}8{n:04d}"
    inn = base + inn_check_digit(base, INN10_WEIGHTS)
    ogrn = f"1{(2005 + n) % 100:02d}{office}8{n:04d}"
    return inn, ogrn + str(int(ogrn) % 11 % 10)


def find(edition, entry: dict):
    """The featured application, if it is there: title, nomination and applicant's region."""
    return (
        Submission.objects.filter(
            edition=edition,
            title=entry["title"],
            nomination__code=entry["code"],
            organization__region__code=entry["region"],
        )
        .order_by("pk")
        .first()
    )


def _org_plan(planner: Planner, n: int, entry: dict) -> OrgPlan:
    rng = planner.rng
    woman = rng.random() < 0.6
    last = rng.choice(SURNAMES) + ("а" if woman else "")
    first = rng.choice(WOMEN if woman else MEN)
    patronymic = rng.choice(PATRONYMICS)[1 if woman else 0]
    inn, ogrn = numbers(entry["region"], n)
    city = REGIONS[entry["region"]][0]
    return OrgPlan(
        serial=SERIAL_BASE + n,
        kind=entry["kind"],
        region=entry["region"],
        full_name=entry["organization"],
        short_name=entry["short"],
        email=winner_email(n),
        person=(last, first, patronymic),
        inn=inn,
        ogrn=ogrn,
        address=f"г. {city}, ул. Ленина, д. {10 + n}",
        municipality="",
        phone=f"+7 900 100-{n:02d}-{n + 10:02d}",
    )


def _schedule(n: int) -> list[tuple[datetime.datetime, str]]:
    day = FIRST_DAY + datetime.timedelta(days=n)
    at = datetime.datetime.combine(day, datetime.time(10, 4 * n), tzinfo=MOSCOW)
    hour = datetime.timedelta(hours=1)
    return [
        (at, "create"),
        (at + 2 * hour, "fill"),
        (at + 5 * hour, "submit"),
        (at + 24 * hour, "take"),
        (at + 26 * hour, "admit"),
    ]


def ensure_featured(edition, *, clock, moderator, seed: int, out) -> dict[str, Submission]:
    """Nomination code → the featured winner's admitted application; makes the missing ones.

    Runs inside the caller's patches (clock, no mail, one password hash).
    """
    nominations = {n.code: n for n in edition.nominations.select_related("direction")}
    planner = Planner(edition, len(featured_winners()), seed)
    runner = Runner(edition, planner, moderator, nominations)
    featured, made = {}, 0
    for n, entry in enumerate(featured_winners(), start=1):
        plan = _org_plan(planner, n, entry)  # drawn every time, so one seed gives one story
        existing = find(edition, entry)
        if existing is not None:
            if existing.state != SubmissionState.ADMITTED:
                raise ValueError(f"{entry['title']} is {existing.state}, not admitted")
            featured[entry["code"]] = existing
            continue
        org = (
            Organization.objects.filter(inn=plan.inn).first()
            or Organization.objects.filter(
                full_name=plan.full_name, region__code=plan.region
            ).first()
        )
        if org is not None:
            runner.orgs[plan.serial] = (org, members_of(org).first().user)
        nomination = nominations[entry["code"]]
        app = AppPlan(
            index=n, nomination=entry["code"], org=plan, scenario="admitted", title=entry["title"]
        )
        planner.passport(app, nomination.direction.number, complete=True)
        for when, action in _schedule(n):
            clock.moment = when
            runner.run(app, action)
        featured[entry["code"]] = runner.subs[n]
        made += 1
    out.write(
        f"Featured winners: {made} made, {len(featured) - made} already there "
        f"({runner.new_orgs} organisations registered).\n"
    )
    return featured
