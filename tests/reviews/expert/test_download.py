"""Files of the frozen version, to the assigned expert only."""

import pytest
from django.urls import reverse

from tests.reviews.conftest import make_admitted
from tests.reviews.expert.conftest import PDF, add_file

pytestmark = pytest.mark.django_db


def _url(assignment, attachment):
    return reverse("expert:download", args=[assignment.pk, attachment.pk])


def test_a_file_listed_in_the_version_downloads(expert_client, assignment, application):
    response = expert_client.get(_url(assignment, application.listed))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_file_added_after_the_version_is_not_found(expert_client, assignment, application):
    assert expert_client.get(_url(assignment, application.unlisted)).status_code == 404


def test_another_applications_file_is_not_found(expert_client, edition, assignment):
    other = make_admitted(edition, title="Чужая")
    foreign = add_file(other, "чужой.pdf")
    assert expert_client.get(_url(assignment, foreign)).status_code == 404
