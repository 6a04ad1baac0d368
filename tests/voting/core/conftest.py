"""A ballot open now: two sections (two directions), two entries each, and voters."""

import datetime
import itertools

import pytest
from django.utils import timezone, translation

from smartdialog.contests.models import Direction, Nomination
from smartdialog.contests.services import save_part
from smartdialog.reference.models import Region
from smartdialog.voting.models import Ballot, BallotEntry, BallotSection, Voter
from tests.reviews.conftest import make_admitted

DAY = datetime.timedelta(days=1)
_phones = itertools.count(1)


def make_voter(region_code="77", *, verified=True, **fields) -> Voter:
    return Voter.objects.create(
        phone=f"+7999{next(_phones):07d}",
        region=Region.objects.get(code=region_code) if region_code else None,
        verified_at=timezone.now() if verified else None,
        **fields,
    )


def add_direction(edition, number, title, code):
    direction = save_part(Direction(edition=edition, number=number, title=title), by=None)
    save_part(
        Nomination(
            edition=edition, direction=direction, code=code, order=number * 10, title=f"Н {code}"
        ),
        by=None,
    )
    return direction


def make_ballot(edition, *, choices=1, opens_at=None, closes_at=None) -> Ballot:
    """Sections «Здравоохранение» (nominations 1.1, 1.2) and «Образование» (2.1, 2.2), one
    admitted application per nomination as an entry."""
    now = timezone.now()
    education = add_direction(edition, 2, "Образование", "2.1")
    save_part(
        Nomination(edition=edition, direction=education, code="2.2", order=22, title="Н 2.2"),
        by=None,
    )
    ballot = Ballot.objects.create(
        edition=edition,
        opens_at=opens_at or now - DAY,
        closes_at=closes_at or now + DAY,
        choices_per_section=choices,
    )
    health = edition.directions.get(number=1)
    for order, (direction, codes) in enumerate(
        [(health, ["1.1", "1.2"]), (education, ["2.1", "2.2"])], start=1
    ):
        section = BallotSection.objects.create(
            ballot=ballot, direction=direction, title=direction.title, order=order
        )
        for i, code in enumerate(codes, start=1):
            BallotEntry.objects.create(
                section=section,
                order=i,
                submission=make_admitted(edition, code=code, title=f"Практика {code}"),
            )
    return ballot


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English msgids (Russian lives in the catalogue)."""
    with translation.override("en"):
        yield


@pytest.fixture
def ballot(edition):
    return make_ballot(edition)


def sections(ballot):
    """[(section, [entry, entry]), …] in ballot order."""
    return [(s, list(s.entries.order_by("order"))) for s in ballot.sections.order_by("order")]
