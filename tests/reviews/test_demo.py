"""The generated 2023 evaluation: 13 winners from 11 regions, through the real services."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from smartdialog.contests.models import Edition
from smartdialog.notifications.models import OutboundMessage
from smartdialog.reviews.decisions import winners
from smartdialog.reviews.demo import generate_reviews
from smartdialog.reviews.demo.data import featured_winners
from smartdialog.reviews.enums import ReviewState
from smartdialog.reviews.models import (
    Decision,
    Expert,
    Finalist,
    Review,
    ReviewAssignment,
    Score,
)
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission

pytestmark = pytest.mark.django_db
# 60 applications with seed 11 leave at least two admitted in every nomination; with the
# featured winner that makes the three finalists each nomination needs.
INTAKE = {"size": 60, "seed": 11}


@pytest.fixture
def edition_2023(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_intake", stdout=io.StringIO(), **INTAKE)
    return Edition.objects.get(year=2023)


def _counts(edition):
    return {
        "experts": Expert.objects.filter(edition=edition).count(),
        "assignments": ReviewAssignment.objects.filter(expert__edition=edition).count(),
        "reviews": Review.objects.filter(assignment__expert__edition=edition).count(),
        "scores": Score.objects.filter(review__assignment__expert__edition=edition).count(),
        "finalists": Finalist.objects.filter(nomination__edition=edition).count(),
        "decisions": Decision.objects.filter(nomination__edition=edition).count(),
        "submissions": Submission.objects.filter(edition=edition).count(),
    }


def check_thirteen_featured_winners_from_eleven_regions(edition_2023, evaluation):
    published = winners(edition_2023)
    expected = {w["code"]: (w["title"], w["region"]) for w in featured_winners()}
    assert {w.nomination.code: (w.submission.title, w.region.code) for w in published} == expected
    assert len(published) == 13
    assert len({w.region.pk for w in published}) == 11
    assert evaluation["winners"] == 13 and evaluation["regions"] == 11
    assert all(w.decision.protocol_sha256 and w.decision.protocol for w in published)
    assert not OutboundMessage.objects.exists()  # history: no mail


def check_every_admitted_application_has_three_submitted_reviews(edition_2023):
    admitted = Submission.objects.filter(edition=edition_2023, state=SubmissionState.ADMITTED)
    reviewed = admitted.annotate(
        n=Count(
            "review_assignments",
            filter=Q(
                review_assignments__withdrawn_at__isnull=True,
                review_assignments__review__state=ReviewState.SUBMITTED,
            ),
        )
    )
    assert admitted.count() > 13
    assert set(reviewed.values_list("n", flat=True)) == {3}
    assert not Review.objects.filter(state=ReviewState.DRAFT).exists()
    criteria = edition_2023.criteria.count()
    assert set(Review.objects.annotate(n=Count("scores")).values_list("n", flat=True)) == {criteria}


def check_finalists_and_working_groups(edition_2023):
    for nomination in edition_2023.nominations.all():
        chosen = Finalist.objects.filter(nomination=nomination)
        assert chosen.count() >= 3, nomination.code
        decision = Decision.objects.get(nomination=nomination, is_current=True)
        assert chosen.filter(submission=decision.winner).exists()
        group = decision.working_group
        assert 5 <= group.members.count() <= 7
        assert group.quorum == group.members.count() // 2 + 1
        assert decision.present.count() >= group.quorum
        assert decision.held_on.isoformat() < "2023-11-07"
        assert decision.confirmed_at is not None
    assert Decision.objects.exclude(dissent="").exists()


def check_no_conflict_of_interest(edition_2023):
    assignments = ReviewAssignment.objects.filter(expert__edition=edition_2023)
    assert edition_2023.review_settings.exclude_own_region
    assert not assignments.filter(expert__region=F("submission__organization__region")).exists()
    assert not assignments.exclude(expert__nominations=F("submission__nomination")).exists()
    assert 90 <= Expert.objects.filter(edition=edition_2023).count() <= 110


def test_generated_evaluation(edition_2023):
    """One generation (it takes ~15 s with the intake), checked from every side."""
    out = io.StringIO()
    evaluation = generate_reviews(edition_2023, seed=1, stdout=out)
    assert evaluation["created"] is True
    assert "Assignment on 03.07.2023" in out.getvalue()
    assert "problem" not in out.getvalue()
    check_thirteen_featured_winners_from_eleven_regions(edition_2023, evaluation)
    check_every_admitted_application_has_three_submitted_reviews(edition_2023)
    check_finalists_and_working_groups(edition_2023)
    check_no_conflict_of_interest(edition_2023)

    before = _counts(edition_2023)
    out = io.StringIO()
    call_command("seed_reviews", "--year", "2023", "--seed", "1", stdout=out)
    assert "already" in out.getvalue()
    assert "13 winners from 11 regions" in out.getvalue()
    assert _counts(edition_2023) == before
