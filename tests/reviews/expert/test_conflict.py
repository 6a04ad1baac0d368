"""«Declare a conflict of interest»: withdrawn, recorded, given to another expert."""

import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import services
from smartdialog.reviews.enums import ExpertStatus
from smartdialog.reviews.models import Conflict, Expert, ReviewAssignment
from tests.reviews.expert.conftest import active_experts, close_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(edition, experts, application, organiser):
    """The application with three of the four experts, by the solver."""
    services.run_assignment(edition, by=organiser)
    return ReviewAssignment.objects.filter(submission=application).first()


def _declare(client, assignment, comment="работал в этой организации"):
    client.force_login(assignment.expert.user)
    return client.post(
        reverse("expert:conflict", args=[assignment.pk]), {"comment": comment}, follow=True
    )


def test_declaring_a_conflict_withdraws_and_reassigns(client, application, experts, assigned):
    expert = assigned.expert
    response = _declare(client, assigned)
    assert response.redirect_chain == [(reverse("expert:home"), 302)]
    assigned.refresh_from_db()
    assert assigned.withdrawn_at is not None
    assert expert.pk not in active_experts(application)
    assert len(active_experts(application)) == 3
    assert Conflict.objects.get(expert=expert, submission=application).comment == (
        "работал в этой организации"
    )
    assert AuditEntry.objects.filter(action="reviews.conflict_declared").count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["success", "info"]
    assert client.get(reverse("expert:review", args=[assigned.pk])).status_code == 403


def test_without_a_free_expert_the_organisers_reassign_by_hand(client, application, assignment):
    Expert.objects.exclude(pk=assignment.expert_id).update(status=ExpertStatus.DECLINED)
    response = _declare(client, assignment, comment="")
    assert active_experts(application) == set()
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]


def test_a_submitted_review_cannot_be_dropped_by_a_conflict(
    client, application, assignment, criteria
):
    services.save_review(
        assignment,
        by=assignment.expert.user,
        values={c.pk: (3, "") for c in criteria},
        submit=True,
    )
    response = _declare(client, assignment)
    assert response.redirect_chain == [(reverse("expert:review", args=[assignment.pk]), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert active_experts(application) == {assignment.expert_id}
    assert not Conflict.objects.exists()


def test_no_conflict_is_declared_after_the_stage(client, edition, application, assignment):
    close_evaluation(edition)
    response = _declare(client, assignment)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert active_experts(application) == {assignment.expert_id}
