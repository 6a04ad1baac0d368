"""Finalists per nomination, one working group per direction and its decisions."""

import datetime
import time

from smartdialog.submissions.demo.data import MOSCOW

from .. import decisions, finalists
from ..models import Finalist, WorkingGroup
from .data import DISSENT, FINALIST_REASON, GROUP_TITLE, quoted

FINALISTS_ON = datetime.datetime(2023, 10, 27, 15, 0, tzinfo=MOSCOW)
GROUPS_ON = datetime.datetime(2023, 10, 30, 12, 0, tzinfo=MOSCOW)
CONFIRMED_ON = datetime.datetime(2023, 11, 6, 12, 0, tzinfo=MOSCOW)
DISSENTING_NOMINATIONS = 4  # a member prefers another finalist; two of them write why


def meeting_day(direction_number: int) -> datetime.date:
    """Health on 1 November, education on the 2nd, social policy on the 3rd."""
    return datetime.date(2023, 11, min(direction_number, 3))


def choose(edition, featured: dict, *, organiser, clock, rng, out) -> int:
    """The top 3–5 of each nomination's ranking, the featured winner always among them."""
    clock.moment = FINALISTS_ON
    chosen_total = 0
    for i, nomination in enumerate(edition.nominations.order_by("order", "code")):
        size = rng.randint(3, 5)
        if Finalist.objects.filter(nomination=nomination).exists():
            continue
        clock.moment = FINALISTS_ON + datetime.timedelta(minutes=10 * i)
        ranking = finalists.ranking_of(nomination)
        ids = [row.submission_id for row in ranking[:size]]
        winner = featured[nomination.code].pk
        reasons = {}
        if winner not in ids:
            ids[-1] = winner
            reasons[winner] = FINALIST_REASON
        finalists.choose_finalists(nomination, ids, by=organiser, reasons=reasons)
        place = next(row.rank for row in ranking if row.submission_id == winner)
        chosen_total += len(ids)
        if place > 1:
            out.write(f"  {nomination.code}: the featured winner ranks {place}\n")
    out.write(f"Finalists: {chosen_total} chosen.\n")
    return chosen_total


def _group(edition, direction, members, organiser):
    title = GROUP_TITLE.format(direction=direction.title)
    group = WorkingGroup.objects.filter(edition=edition, title=title).first()
    if group is not None:
        return group
    group = WorkingGroup(
        edition=edition, title=title, direction=direction, quorum=len(members) // 2 + 1
    )
    return decisions.save_working_group(group, members=members, nominations=[], by=organiser)


def decide(edition, featured, *, directions, members, organiser, clock, rng, out) -> float:
    """Record and confirm a decision for every nomination; returns seconds spent in them
    (the protocol PDFs are most of it)."""
    clock.moment = GROUPS_ON
    groups = {
        number: _group(edition, directions[number], members[number], organiser)
        for number in sorted(directions)
    }
    nominations = list(edition.nominations.select_related("direction").order_by("order", "code"))
    dissenting = set(rng.sample(range(len(nominations)), DISSENTING_NOMINATIONS))
    written = set(sorted(dissenting)[:2])
    spent, recorded, confirmed = 0.0, 0, 0
    for i, nomination in enumerate(nominations):
        group = groups[nomination.direction.number]
        people = sorted(group.members.all(), key=lambda u: u.email)
        absent = rng.sample(people, rng.randint(0, len(people) - group.quorum))
        present = [u for u in people if u not in absent]
        winner = featured[nomination.code]
        others = [
            f.submission for f in decisions.finalists_of(nomination) if f.submission_id != winner.pk
        ]
        preferences = {u: winner for u in present}
        dissent = ""
        if i in dissenting and others:
            member, other = rng.choice(present[1:]), others[0]
            preferences[member] = other
            if i in written:
                dissent = rng.choice(DISSENT).format(
                    name=decisions.person(member), other=quoted(other.title)
                )
        day = meeting_day(nomination.direction.number)
        decision = decisions.current_decision(nomination)
        if decision is None:
            clock.moment = datetime.datetime.combine(
                day, datetime.time(15, 0), tzinfo=MOSCOW
            ) + datetime.timedelta(minutes=20 * i)
            began = time.monotonic()
            decision = decisions.record_decision(
                group,
                nomination,
                held_on=day,
                present=present,
                preferences=preferences,
                winner=winner,
                dissent=dissent,
                by=people[0],
            )
            spent += time.monotonic() - began
            recorded += 1
        if decision.confirmed_at is None:
            clock.moment = CONFIRMED_ON + datetime.timedelta(minutes=5 * i)
            decisions.confirm_decision(decision, organiser)
            confirmed += 1
    out.write(
        f"Decisions: {recorded} recorded ({spent:.1f} s with the protocol PDFs), "
        f"{confirmed} confirmed.\n"
    )
    return spent


def public_winners(edition) -> list:
    return decisions.winners(edition)
