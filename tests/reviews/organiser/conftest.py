"""Organiser-side fixtures: a clean cache for the run state, scoring and page helpers."""

import pytest
from django.core.cache import cache

from smartdialog.reviews import services
from smartdialog.reviews.models import ReviewAssignment


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


def score(edition, submission, expert, value, *, submit=True):
    """An assignment with a review giving `value` on every criterion."""
    assignment = ReviewAssignment.objects.create(
        expert=expert, submission=submission, source="manual"
    )
    services.save_review(
        assignment,
        by=expert.user,
        submit=submit,
        values={c.pk: (value, "обоснование") for c in edition.criteria.all()},
    )
    return assignment


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
