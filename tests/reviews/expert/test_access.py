"""Every expert URL about an assignment: only its own expert; others 403, unknown ids 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from smartdialog.reviews.models import Conflict, Review, ReviewAssignment
from tests.factories import make_user
from tests.reviews.expert.conftest import member_of

pytestmark = pytest.mark.django_db


def _requests(assignment, attachment_id):
    pk = assignment.pk
    return [
        ("get", reverse("expert:review", args=[pk]), {}),
        ("post", reverse("expert:review", args=[pk]), {"score_1": "5", "draft": "1"}),
        ("get", reverse("expert:download", args=[pk, attachment_id]), {}),
        ("post", reverse("expert:conflict", args=[pk]), {"comment": "связан"}),
    ]


@pytest.fixture(params=["other_expert", "applicant_member", "outsider", "withdrawn"])
def stranger(request, experts, application, colleague_assignment, assignment):
    """Someone who is not the assigned expert of `assignment`, by kind."""
    if request.param == "other_expert":
        return colleague_assignment.expert.user  # assigned to the same application
    if request.param == "applicant_member":
        return member_of(application)
    if request.param == "withdrawn":
        ReviewAssignment.objects.filter(pk=assignment.pk).update(
            withdrawn_at=timezone.now(), withdrawn_reason="снято организатором"
        )
        return assignment.expert.user
    return make_user("stranger@example.ru")


def test_every_url_is_forbidden_to_anyone_but_the_assigned_expert(
    client, assignment, application, stranger
):
    client.force_login(stranger)
    for method, url, data in _requests(assignment, application.listed.pk):
        response = getattr(client, method)(url, data)
        assert (method, url, response.status_code) == (method, url, 403)
    assert not Review.objects.exists()
    assert not Conflict.objects.exists()


def test_the_assigned_expert_may_open_every_url(expert_client, assignment, application):
    pk = assignment.pk
    assert expert_client.get(reverse("expert:review", args=[pk])).status_code == 200
    download = expert_client.get(reverse("expert:download", args=[pk, application.listed.pk]))
    assert download.status_code == 200


@pytest.mark.parametrize("name", ["review", "download", "conflict"])
def test_unknown_assignments_are_404(expert_client, assignment, application, name):
    args = [assignment.pk + 1000] + ([application.listed.pk] if name == "download" else [])
    url = reverse(f"expert:{name}", args=args)
    response = expert_client.post(url) if name == "conflict" else expert_client.get(url)
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, assignment):
    for url in [reverse("expert:home"), reverse("expert:review", args=[assignment.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
