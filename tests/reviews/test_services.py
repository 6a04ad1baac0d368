import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import services
from smartdialog.reviews.enums import ReviewState
from smartdialog.reviews.models import Conflict, ReviewAssignment
from tests.reviews.conftest import make_admitted, make_expert

pytestmark = pytest.mark.django_db


def _active(submission):
    return set(
        ReviewAssignment.objects.filter(
            submission=submission, withdrawn_at__isnull=True
        ).values_list("expert_id", flat=True)
    )


def test_every_admitted_application_gets_three_experts(edition, experts, organiser):
    apps = [make_admitted(edition, title=f"Практика {i}") for i in range(4)]
    result = services.run_assignment(edition, by=organiser)
    assert result.problems == []
    assert all(len(_active(a)) == 3 for a in apps)
    loads = [e.assignments.count() for e in experts]
    assert max(loads) - min(loads) <= 1
    assert AuditEntry.objects.get(action="reviews.assignment_run").after["new_assignments"] == 12


def test_experts_from_the_applicants_region_are_left_out(edition, experts, organiser):
    local = make_expert(edition, "local@example.ru", region_code="77")
    app = make_admitted(edition, region_code="77")
    services.run_assignment(edition, by=organiser)
    assert local.pk not in _active(app)
    assert len(_active(app)) == 3


def test_a_nomination_without_enough_experts_is_reported_with_numbers(edition, organiser):
    make_expert(edition, "only@example.ru", region_code="50")
    make_admitted(edition, code="1.2")
    result = services.run_assignment(edition, by=organiser)
    messages = [p.message for p in result.problems]
    assert messages and "1" in messages[0]


def test_running_again_keeps_started_assignments(edition, experts, organiser):
    first = make_admitted(edition)
    services.run_assignment(edition, by=organiser)
    before = _active(first)
    second = make_admitted(edition, title="Новая")
    services.run_assignment(edition, by=organiser)
    assert _active(first) == before
    assert len(_active(second)) == 3


def test_a_conflicted_expert_cannot_be_assigned_by_hand(edition, experts, organiser):
    local = make_expert(edition, "local@example.ru", region_code="77")
    app = make_admitted(edition, region_code="77")
    with pytest.raises(ValidationError) as error:
        services.assign_by_hand(app, local, by=organiser)
    assert "local@example.ru" in error.value.messages[0]
    assert not ReviewAssignment.objects.filter(expert=local).exists()


def test_declaring_a_conflict_withdraws_and_reassigns(edition, experts, organiser):
    app = make_admitted(edition)
    services.run_assignment(edition, by=organiser)
    assignment = ReviewAssignment.objects.filter(submission=app).first()
    expert = assignment.expert
    with pytest.raises(PermissionDenied):
        services.declare_conflict(assignment, by=organiser)
    services.declare_conflict(assignment, by=expert.user, comment="работал в этой организации")
    assert expert.pk not in _active(app)
    assert len(_active(app)) == 3
    assert Conflict.objects.get(expert=expert, submission=app).comment == (
        "работал в этой организации"
    )


@pytest.fixture
def assignment(edition, experts, organiser):
    make_admitted(edition)
    services.run_assignment(edition, by=organiser)
    return ReviewAssignment.objects.first()


def _values(edition, value=7, comment=""):
    return {c.pk: (value, comment) for c in edition.criteria.all()}


def test_a_score_outside_the_scale_is_refused(edition, assignment):
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=assignment.expert.user, values=_values(edition, 11))
    assert list(error.value.message_dict) == [f"score_{edition.criteria.get().pk}"]


def test_an_extreme_score_needs_a_comment(edition, assignment):
    criterion = edition.criteria.get()
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=assignment.expert.user, values=_values(edition, 10))
    assert list(error.value.message_dict) == [f"comment_{criterion.pk}"]
    review = services.save_review(
        assignment,
        by=assignment.expert.user,
        values=_values(edition, 10, "лучшее решение"),
        submit=True,
    )
    assert review.state == ReviewState.SUBMITTED


def test_submitting_needs_every_criterion_but_a_draft_does_not(edition, assignment):
    review = services.save_review(assignment, by=assignment.expert.user, values={})
    assert review.state == ReviewState.DRAFT
    with pytest.raises(ValidationError):
        services.save_review(assignment, by=assignment.expert.user, values={}, submit=True)


def test_only_the_assigned_expert_scores_and_only_while_the_stage_is_open(
    edition, assignment, experts
):
    other = next(e for e in experts if e.pk != assignment.expert_id)
    with pytest.raises(PermissionDenied):
        services.save_review(assignment, by=other.user, values=_values(edition))
    stage = edition.stages.get(kind="evaluation")
    type(stage).objects.filter(pk=stage.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=assignment.expert.user, values=_values(edition))
    assert error.value.messages == ["Экспертная оценка завершена: оценки больше нельзя изменить."]
