"""`seed_vote` on PostgreSQL after the 2023 evaluation: the published figures from the real
tally, the rows the plan describes, a chain the recount verifies, and a second run that
changes nothing."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Min
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.contests.models import Edition
from smartdialog.reference.models import Region
from smartdialog.results.numerals import NBSP
from smartdialog.results.summary import generate, numbers_for
from smartdialog.voting.demo import data
from smartdialog.voting.demo.plan import plan_vote
from smartdialog.voting.models import Ballot, SealedBatch, VerificationCode, Vote, Voter
from smartdialog.voting.sealing import verify_chain
from smartdialog.voting.tally import tally

from .published import check_leaders, check_most_active, check_regions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
# As in tests/reviews/test_demo.py: a small intake that still gives the 13 winners.
INTAKE = {"size": 60, "seed": 11}


@pytest.fixture
def edition_2023(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_intake", stdout=io.StringIO(), **INTAKE)
    call_command("seed_reviews", "--year", "2023", "--seed", "1", stdout=io.StringIO())
    return Edition.objects.get(year=2023)


def _seed_vote() -> str:
    out = io.StringIO()
    call_command("seed_vote", "--year", "2023", "--seed", "1", stdout=out)
    return out.getvalue()


def _rows():
    return {
        "voters": Voter.objects.count(),
        "codes": VerificationCode.objects.count(),
        "votes": Vote.objects.count(),
        "batches": SealedBatch.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def check_published_figures(ballot, districts):
    counted = tally(ballot)
    assert counted.excluded == 0
    totals = {row.entry.submission.nomination.code: row.counted for row in counted.entries}
    cells = {
        (row.entry.submission.nomination.code, region): n
        for row in counted.entries
        for region, n in row.regions.items()
    }
    check_leaders(totals)
    check_regions(cells, districts)
    voters = Vote.objects.filter(ballot=ballot).values("region__code")
    by_region = dict(
        voters.annotate(n=Count("voter", distinct=True)).values_list("region__code", "n")
    )
    check_most_active(by_region)
    assert sum(by_region.values()) > 30_000


def check_rows_are_the_plan(ballot, districts):
    planned = plan_vote(districts, seed=1)
    expected = Counter(
        (p.phone, p.region, practice, p.cast_at, p.ip, p.user_agent)
        for p in planned
        for practice in p.choices
    )
    votes = Vote.objects.filter(ballot=ballot).values_list(
        "voter__phone",
        "region__code",
        "entry__submission__nomination__code",
        "cast_at",
        "ip",
        "user_agent",
    )
    assert Counter(votes) == expected
    assert not Vote.objects.exclude(region=F("voter__region")).exists()
    # Votes were written in the order they were cast.
    ordered = list(Vote.objects.order_by("id").values_list("cast_at", flat=True))
    assert ordered == sorted(ordered)


def check_codes_before_votes(ballot):
    assert VerificationCode.objects.count() == Voter.objects.count()
    first_vote = dict(
        Vote.objects.values("voter__phone")
        .annotate(at=Min("cast_at"))
        .values_list("voter__phone", "at")
    )
    for phone, created, used, expires in VerificationCode.objects.values_list(
        "destination", "created_at", "used_at", "expires_at"
    ):
        assert created < used < first_vote[phone] <= expires
        assert 2 <= (first_vote[phone] - created).total_seconds() <= 180
    voter_times = Voter.objects.values_list("created_at", "verified_at")
    assert all(created == verified for created, verified in voter_times)
    assert all(created.year == 2023 for created, _v in voter_times)


def check_chain(ballot, client, tmp_path):
    assert verify_chain(ballot) == []
    assert not Vote.objects.filter(ballot=ballot, batch__isnull=True).exists()
    batches = list(SealedBatch.objects.filter(ballot=ballot).order_by("number"))
    assert len(batches) == (data.CLOSES_AT.date() - data.OPENS_AT.date()).days + 1
    for batch in batches:
        day = batch.sealed_at.astimezone(data.MOSCOW).date()
        cast = batch.sealed_votes.aggregate(first=Min("cast_at"))["first"]
        assert cast.astimezone(data.MOSCOW).date() == day
        assert not batch.sealed_votes.filter(cast_at__gt=batch.sealed_at).exists()
    files = {}
    for name in ("log_download", "log_batches"):
        response = client.get(reverse(f"vote:{name}"), {"year": 2023})
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_bytes(b"".join(response.streaming_content))
    out = io.StringIO()
    call_command(
        "recount", "--log", files["log_download"], "--batches", files["log_batches"], stdout=out
    )
    assert "Recount OK: they match the published chain and tally." in out.getvalue()


def check_summary(edition):
    """seed 004's «Обе практики вызвали интерес у жителей столичных городов, а также
    Сибирского, Уральского и Приволжского федеральных округов», from the demo's votes."""
    text = generate(numbers_for(edition)).replace(NBSP, " ")
    assert (
        "Обе практики вызвали интерес у жителей столичных городов, а также Приволжского, "
        "Сибирского и Уральского федеральных округов."
    ) in text


def test_seed_vote_as_published(edition_2023, client, tmp_path):
    """One full-size run (≈35 000 votes), checked from every side, then run again."""
    out = _seed_vote()
    assert "Vote of 2023 done in" in out
    ballot = Ballot.objects.get(edition=edition_2023)
    assert (ballot.opens_at, ballot.closes_at) == (data.OPENS_AT, data.CLOSES_AT)
    assert ballot.choices_per_section == 1
    sections = list(ballot.sections.order_by("order"))
    assert [s.direction.number for s in sections] == [1, 2, 3]
    assert [s.entries.count() for s in sections] == [4, 5, 4]
    assert AuditEntry.objects.filter(action="voting.ballot_created").count() == 1
    districts = dict(Region.objects.values_list("code", "federal_district__code"))
    check_published_figures(ballot, districts)
    check_rows_are_the_plan(ballot, districts)
    check_codes_before_votes(ballot)
    check_chain(ballot, client, tmp_path)
    check_summary(edition_2023)

    before = _rows()
    out = _seed_vote()
    assert "already there" in out
    assert "Поликлиника: перезагрузка — 6640 votes" in out
    assert _rows() == before


def test_seed_vote_needs_the_winners(db):
    call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError):
        _seed_vote()
    assert not Ballot.objects.exists()
    assert not Voter.objects.exists()


def test_seed_vote_refuses_another_year_and_a_bad_scale(db):
    call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="2023"):
        call_command("seed_vote", "--year", "2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_vote", "--scale", "2", stdout=io.StringIO())
    assert not Ballot.objects.exists()
