"""`seed_practice`: the practice edition can be walked through the expert evaluation."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from smartdialog.accounts.demo import demo_email
from smartdialog.accounts.models import Role
from smartdialog.contests.demo import load_practice_edition
from smartdialog.contests.models import Edition, Stage
from smartdialog.notifications.models import OutboundMessage
from smartdialog.reviews import services
from smartdialog.reviews.demo.practice import EXPERT_REGIONS, practice_applications
from smartdialog.reviews.enums import ExpertStatus, ReviewState
from smartdialog.reviews.models import Expert, ReviewAssignment, WorkingGroup
from smartdialog.submissions.models import SubmissionVersion

pytestmark = pytest.mark.django_db
CODES = ["1.1", "2.3", "3.1"]


def _user(role):
    return get_user_model().objects.get(email=demo_email(role))


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.fixture
def practice():
    call_command("seed_demo", stdout=io.StringIO())
    mail_before = OutboundMessage.objects.count()
    out = io.StringIO()
    call_command("seed_practice", stdout=out)
    edition = Edition.objects.get(year=timezone.localdate().year)
    return edition, out.getvalue(), mail_before


def test_seed_practice_prepares_applications_experts_and_a_working_group(practice):
    edition, out, mail_before = practice
    admitted = practice_applications(edition)
    assert admitted.count() == 12
    assert dict(
        admitted.values("nomination__code")
        .annotate(n=Count("pk"))
        .values_list("nomination__code", "n")
    ) == {code: 4 for code in CODES}
    assert admitted.values("organization__region").distinct().count() == 12
    assert admitted.values("organization").distinct().count() == 12
    for submission in admitted:
        assert SubmissionVersion.objects.filter(submission=submission).exists()
        assert submission.moderator == _user(Role.MODERATOR)
    experts = Expert.objects.filter(edition=edition).prefetch_related("nominations")
    assert experts.count() == 6
    assert {e.status for e in experts} == {ExpertStatus.ACCEPTED}
    assert experts.filter(user=_user(Role.EXPERT)).exists()
    assert all(sorted(n.code for n in e.nominations.all()) == CODES for e in experts)
    assert {e.capacity for e in experts} == {10}
    applicant_regions = set(
        practice_applications(edition).values_list("organization__region__code", flat=True)
    )
    expert_regions = {e.region.code for e in experts if e.region}
    assert len(expert_regions) == len([r for r in EXPERT_REGIONS if r]) + 1
    assert not expert_regions & applicant_regions
    group = WorkingGroup.objects.get(edition=edition)
    assert sorted(group.nominations.values_list("code", flat=True)) == CODES
    assert group.members.count() == 3 and group.quorum == 2
    assert group.members.filter(pk=_user(Role.WORKING_GROUP).pk).exists()
    # Nothing of the visitor's part is done, and no mail is queued.
    assert not ReviewAssignment.objects.filter(expert__edition=edition).exists()
    assert OutboundMessage.objects.count() == mail_before
    assert services.evaluation_open(edition)
    assert f"/manage/{edition.year}/reviews/" in out
    assert f"/manage/{edition.year}/working-groups/{group.pk}/" in out


def test_seed_practice_twice_adds_nothing(practice):
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_practice", stdout=io.StringIO())
    assert _counts() == first


def test_the_walk_through_assigns_and_the_demo_expert_scores(practice):
    edition, _out, _mail = practice
    organiser = _user(Role.ORGANISER)
    result = services.run_assignment(edition, by=organiser)
    assert result.problems == []
    assigned = practice_applications(edition).annotate(
        n=Count("review_assignments", filter=Q(review_assignments__withdrawn_at__isnull=True))
    )
    assert set(assigned.values_list("n", flat=True)) == {3}
    expert = _user(Role.EXPERT)
    assignment = ReviewAssignment.objects.filter(
        expert__edition=edition, expert__user=expert
    ).first()
    assert assignment is not None
    values = {c.pk: ((c.scale_min + c.scale_max) // 2, "") for c in edition.criteria.all()}
    review = services.save_review(
        assignment, by=expert, values=values, comment="Практика описана ясно.", submit=True
    )
    assert review.state == ReviewState.SUBMITTED
    assert review.scores.count() == edition.criteria.count()


def test_an_older_practice_edition_gets_its_evaluation_stage(organiser):
    edition, _created = load_practice_edition(by=organiser, today=datetime.date(2031, 5, 20))
    Stage.objects.filter(edition=edition, kind="evaluation").delete()
    assert load_practice_edition(by=organiser, today=datetime.date(2031, 5, 25)) == (edition, False)
    evaluation = edition.stages.get(kind="evaluation")
    assert timezone.localtime(evaluation.starts_at).date() == datetime.date(2031, 5, 15)
    assert timezone.localtime(evaluation.ends_at).date() == datetime.date(2031, 7, 14)


def test_practice_stages_start_no_earlier_than_the_first_of_january(organiser):
    edition, created = load_practice_edition(by=organiser, today=datetime.date(2031, 1, 5))
    assert created
    starts = {s.kind: timezone.localtime(s.starts_at).date() for s in edition.stages.all()}
    assert starts == {"intake": datetime.date(2031, 1, 1), "evaluation": datetime.date(2031, 1, 1)}
