"""A working group of three (quorum 2) for nomination 1.1 with three finalists."""

import datetime

import pytest
from django.utils import timezone

from smartdialog.accounts.models import Role
from smartdialog.reviews import decisions
from smartdialog.reviews.models import Finalist, WorkingGroup
from tests.factories import give_role, make_user
from tests.reviews.conftest import make_admitted

TITLES = ["Единое окно обращений", "Голос жителя", "Умный двор"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def members(edition):
    users = [make_user(f"wg{i}@example.ru", first_name=f"Член{i}") for i in range(3)]
    for user in users:
        give_role(user, edition, Role.WORKING_GROUP)
    return users


@pytest.fixture
def group(edition, organiser, members):
    return decisions.save_working_group(
        WorkingGroup(edition=edition, title="Рабочая группа «Здравоохранение»", quorum=2),
        members=members,
        nominations=edition.nominations.filter(code="1.1"),
        by=organiser,
    )


def make_finalists(edition, organiser, code="1.1", titles=TITLES):
    nomination = edition.nominations.get(code=code)
    return [
        Finalist.objects.create(
            nomination=nomination,
            submission=make_admitted(edition, code=code, title=title),
            rank=rank,
            score=round(9 - rank * 0.75, 2),
            chosen_by=organiser,
        )
        for rank, title in enumerate(titles, start=1)
    ]


@pytest.fixture
def finalists(edition, organiser):
    return make_finalists(edition, organiser)


@pytest.fixture
def nomination(edition):
    return edition.nominations.get(code="1.1")


def decide(group, nomination, finalists, *, by, present=None, winner=None, **extra):
    """Record a valid decision unless `extra` says otherwise."""
    present = group.members.all() if present is None else present
    winner = finalists[0].submission if winner is None else winner
    kwargs = {
        "held_on": timezone.localdate() - datetime.timedelta(days=1),
        "present": present,
        "preferences": {u.pk: winner.pk for u in present},
        "winner": winner,
        "dissent": "Член2 считает, что «Голос жителя» сильнее.",
        "by": by,
    }
    kwargs.update(extra)
    return decisions.record_decision(group, nomination, **kwargs)
