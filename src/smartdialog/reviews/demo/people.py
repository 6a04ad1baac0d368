"""The expert pool and the working groups' members, as demo users."""

import datetime
import re

from smartdialog.accounts.demo import demo_email, ensure_user
from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.accounts.services import grant_role
from smartdialog.reference.models import Region
from smartdialog.submissions.demo.data import MEN, MOSCOW, PATRONYMICS, SURNAMES, WOMEN
from smartdialog.submissions.demo.plan import apportion

from .. import pool
from ..enums import ExpertStatus
from ..models import Expert
from .data import (
    EXPERTS,
    EXTRA_EXPERTISE,
    GROUP_SIZES,
    MAIN_EXPERT_CAPACITY,
    STOP_WORDS,
    expert_email,
    member_email,
)

INVITED_ON = datetime.datetime(2023, 6, 26, 11, 0, tzinfo=MOSCOW)


def person(rng) -> tuple[str, str]:
    """(first name, last name)."""
    woman = rng.random() < 0.55
    last = rng.choice(SURNAMES) + ("а" if woman else "")
    return rng.choice(WOMEN if woman else MEN), last


def _keywords(direction) -> list[str]:
    words = set()
    for title in direction.nominations.values_list("title", flat=True):
        for word in title.lower().split():
            word = re.sub(r"[^\w-]", "", word)
            if len(word) >= 7 and word not in STOP_WORDS:
                words.add(word)
    return sorted(words)


def ensure_experts(edition, *, directions, admitted: dict, clock, organiser, rng, out) -> dict:
    """Invite the demo pool (one direction each, by share of admitted applications) and let
    every expert accept. `admitted`: direction number → admitted applications."""
    shares = apportion(EXPERTS, {d: max(admitted.get(d, 0), 1) for d in directions}, minimum=8)
    regions = list(Region.objects.order_by("code"))
    rng.shuffle(regions)
    plan, n = [], 0
    for number, direction in sorted(directions.items()):
        words = _keywords(direction)
        for _i in range(shares[number]):
            n += 1
            expertise = rng.sample(words, min(len(words), rng.randint(2, 4)))
            expertise += rng.sample(EXTRA_EXPERTISE[number], 1)
            plan.append(
                (
                    expert_email(n),
                    person(rng),
                    direction,
                    {
                        "capacity": rng.randint(15, 30),
                        "region": regions[(n - 1) % len(regions)],
                        "expertise": "\n".join(expertise),
                    },
                )
            )
    main = ensure_user(demo_email(Role.EXPERT))
    plan.append(
        (
            main.email,
            None,
            directions[1],
            {
                "capacity": MAIN_EXPERT_CAPACITY,
                "region": Region.objects.get(code="59"),
                "expertise": "\n".join(_keywords(directions[1])[:3]),
            },
        )
    )
    invited = accepted = 0
    for i, (email, name, direction, profile) in enumerate(plan):
        clock.moment = INVITED_ON + datetime.timedelta(minutes=3 * i)
        user = ensure_user(email, first_name=name[0], last_name=name[1]) if name else main
        expert = Expert.objects.filter(edition=edition, user=user).first()
        if expert is None:
            expert = pool.invite(
                edition,
                email,
                by=organiser,
                nominations=list(direction.nominations.all()),
                **profile,
            )
            invited += 1
        if expert.status == ExpertStatus.INVITED:
            clock.moment += datetime.timedelta(days=1 + i % 4, hours=i % 7)
            pool.respond(expert, True, by=user)
            accepted += 1
    pool.save_settings(edition, by=organiser, evaluations_per_application=3)
    out.write(f"Experts: {invited} invited, {accepted} accepted; by direction {shares} + 1.\n")
    return shares


def ensure_members(edition, *, directions, organiser, rng) -> dict:
    """Direction number → the working group's members (demo users with the role)."""
    members, n = {}, 0
    for number in sorted(directions):
        group = []
        size = GROUP_SIZES.get(number, 5)
        if number == 1:
            group.append(ensure_user(demo_email(Role.WORKING_GROUP)))
            size -= 1
        for _i in range(size):
            n += 1
            first, last = person(rng)
            patronymic = rng.choice(PATRONYMICS)[1 if last.endswith("а") else 0]
            user = ensure_user(member_email(n), first_name=f"{first} {patronymic}", last_name=last)
            group.append(user)
        for user in group:
            if not has_role(user, edition, Role.WORKING_GROUP):
                grant_role(
                    edition,
                    user,
                    Role.WORKING_GROUP,
                    by=organiser,
                    reason="демо-данные: рабочая группа 2023 года",
                )
        members[number] = group
    return members
