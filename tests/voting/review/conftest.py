"""Hand-made votes for the anomaly signals: explicit times, addresses and browsers.

Votes are bulk-created with their `cast_at` (the cast service stamps the present). Ordinary
voters get phone numbers 37 apart, so they never form a run of consecutive numbers.
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from smartdialog.reference.models import Region
from smartdialog.voting.models import Ballot, VerificationCode, Vote, Voter
from smartdialog.voting.services import new_receipt
from tests.voting.core.conftest import _english, make_ballot, sections  # noqa: F401

HOUR = datetime.timedelta(hours=1)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/119.0 Safari/537.36"
_spread = itertools.count(1)


def spread_phone() -> str:
    return f"+7916{(next(_spread) * 37) % 10_000_000:07d}"


def make_voters(n, *, phones=None) -> list[Voter]:
    region = Region.objects.get(code="77")
    now = timezone.now()
    return Voter.objects.bulk_create(
        Voter(phone=phone, region=region, verified_at=now)
        for phone in (phones or [spread_phone() for _ in range(n)])
    )


def add_votes(entry, times, *, ips=None, agents=None, voters=None) -> list[Vote]:
    """One vote for `entry` per time in `times`, each by its own voter unless `voters`."""
    times = list(times)
    voters = voters or make_voters(len(times))
    numbers = [next(_spread) for _ in times]
    ips = ips or [f"198.{i // 250 % 250}.{i % 250}.{i % 200 + 1}" for i in numbers]
    agents = agents or [f"{BROWSER} build/{i}" for i in numbers]
    return Vote.objects.bulk_create(
        Vote(
            ballot_id=entry.section.ballot_id,
            section_id=entry.section_id,
            entry=entry,
            voter=voter,
            region_id=voter.region_id,
            receipt=new_receipt(),
            cast_at=at,
            ip=ip,
            user_agent=agent,
        )
        for at, voter, ip, agent in zip(times, voters, ips, agents, strict=True)
    )


def code_sent(voter, at) -> VerificationCode:
    code = VerificationCode.objects.create(
        channel=VerificationCode.Channel.SMS if voter.phone else VerificationCode.Channel.EMAIL,
        destination=voter.phone or voter.email,
        code_hash="x",
        expires_at=at + datetime.timedelta(minutes=10),
        used_at=at,
    )
    VerificationCode.objects.filter(pk=code.pk).update(created_at=at)
    return code


def hour_ago(n) -> datetime.datetime:
    """The start of the Moscow hour `n` hours before the current one."""
    now = timezone.localtime(timezone.now())
    return now.replace(minute=0, second=0, microsecond=0) - n * HOUR


@pytest.fixture
def ballot(edition) -> Ballot:
    """Open for the last ten days and the next one."""
    now = timezone.now()
    return make_ballot(
        edition, opens_at=now - datetime.timedelta(days=10), closes_at=now + HOUR * 24
    )


@pytest.fixture
def entry(ballot):
    (_health, (first, _second)), _education = sections(ballot)
    return first


@pytest.fixture
def other_entry(ballot):
    (_health, (_first, second)), _education = sections(ballot)
    return second
