import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import services, tasks
from smartdialog.reviews.models import ReviewAssignment
from tests.reviews.conftest import make_admitted, make_expert
from tests.reviews.organiser.conftest import page_messages, score

pytestmark = pytest.mark.django_db


def test_run_creates_assignments_and_the_status_reports_done(org_client, edition, experts):
    for title in "abc":
        make_admitted(edition, title=title)
    response = org_client.post(reverse("reviews_admin:run", args=[edition.year]))
    assert response.status_code == 302
    assert ReviewAssignment.objects.count() == 9
    status = org_client.get(reverse("reviews_admin:run_status", args=[edition.year]))
    html = status.content.decode()
    assert 'data-state="done"' in html
    assert "hx-trigger" not in html  # polling stops
    assert tasks.run_state(edition.pk) | {"at": None} == {
        "state": "done",
        "progress": 100,
        "at": None,
        "new": 9,
        "experts": 4,
        "applications": 3,
        "problems": [],
    }
    assert "9" in html


def test_a_pending_run_is_polled_and_a_second_run_refused(org_client, edition, experts):
    tasks._set(edition.pk, tasks.RUNNING)
    status = org_client.get(reverse("reviews_admin:run_status", args=[edition.year]))
    assert 'hx-trigger="every 1s"' in status.content.decode()
    response = org_client.post(reverse("reviews_admin:run", args=[edition.year]), follow=True)
    assert len(page_messages(response)) == 1
    assert ReviewAssignment.objects.count() == 0


def test_the_problems_are_shown_verbatim(org_client, edition):
    make_expert(edition, "alone@example.ru", region_code="50")
    make_admitted(edition)
    org_client.post(reverse("reviews_admin:run", args=[edition.year]))
    problems = tasks.run_state(edition.pk)["problems"]
    assert problems and "номинация 1.1" in problems[0]
    page = org_client.get(reverse("reviews_admin:dashboard", args=[edition.year]))
    assert problems[0] in page.content.decode()


def test_assigning_a_conflicted_expert_by_hand_shows_why(org_client, organiser, edition):
    submission = make_admitted(edition, region_code="77")
    local = make_expert(edition, "local@example.ru", region_code="77")
    with pytest.raises(services.ValidationError) as refused:
        services.assign_by_hand(submission, local, by=organiser)
    response = org_client.post(
        reverse("reviews_admin:assign", args=[edition.year, submission.nomination_id]),
        {"submission": submission.pk, "expert": local.pk},
        follow=True,
    )
    assert page_messages(response) == refused.value.messages
    assert ReviewAssignment.objects.count() == 0


def test_assigning_by_hand(org_client, edition, experts):
    submission = make_admitted(edition)
    org_client.post(
        reverse("reviews_admin:assign", args=[edition.year, submission.nomination_id]),
        {"submission": submission.pk, "expert": experts[0].pk},
    )
    assert list(ReviewAssignment.objects.values_list("expert", "source")) == [
        (experts[0].pk, "manual")
    ]
    page = org_client.get(
        reverse("reviews_admin:assignments", args=[edition.year, submission.nomination_id])
    )
    assert experts[0].user.email in page.content.decode()


def test_withdrawing_by_hand_is_audited_and_refused_once_submitted(org_client, edition, experts):
    submission = make_admitted(edition)
    draft = score(edition, submission, experts[0], 5, submit=False)
    done = score(edition, submission, experts[1], 5)
    url = reverse("reviews_admin:withdraw", args=[edition.year, draft.pk])
    org_client.post(url, {"reason": "эксперт заболел"}, follow=True)
    draft.refresh_from_db()
    assert draft.withdrawn_reason == "эксперт заболел"
    assert AuditEntry.objects.filter(action="reviews.assignment_withdrawn").count() == 1
    response = org_client.post(
        reverse("reviews_admin:withdraw", args=[edition.year, done.pk]),
        {"reason": "ошибка"},
        follow=True,
    )
    done.refresh_from_db()
    assert done.withdrawn_at is None
    assert len(page_messages(response)) == 1


def test_withdrawing_needs_a_reason(org_client, edition, experts):
    draft = score(edition, make_admitted(edition), experts[0], 5, submit=False)
    org_client.post(reverse("reviews_admin:withdraw", args=[edition.year, draft.pk]), {})
    draft.refresh_from_db()
    assert draft.withdrawn_at is None
