import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.audit.models import AuditEntry
from smartdialog.reviews import pool, services
from smartdialog.reviews.enums import ExpertStatus
from smartdialog.reviews.models import Expert
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _invite(client, edition, **data):
    payload = {
        "email": "new.expert@example.ru",
        "nominations": [edition.nominations.get(code="1.1").pk],
        "capacity": 12,
        "expertise": "здравоохранение",
    }
    payload.update(data)
    return client.post(reverse("reviews_admin:invite", args=[edition.year]), payload)


def test_inviting_an_unknown_email_says_so(org_client, edition):
    response = _invite(org_client, edition, email="nobody@example.ru")
    assert response.status_code == 400
    assert "nobody@example.ru" in str(response.context["form"].errors["email"])
    assert Expert.objects.count() == 0


def test_inviting_grants_the_role_and_is_audited(org_client, edition):
    user = make_user("new.expert@example.ru")
    response = _invite(org_client, edition, organization_inn="7707083893")
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert (expert.user, expert.status, expert.capacity, expert.organization_inn) == (
        user,
        ExpertStatus.INVITED,
        12,
        "7707083893",
    )
    assert [n.code for n in expert.nominations.all()] == ["1.1"]
    assert has_role(user, edition, Role.EXPERT)
    assert AuditEntry.objects.filter(action="reviews.expert_invited").count() == 1
    assert _invite(org_client, edition).status_code == 400  # already in the pool


def test_an_existing_expert_role_is_not_granted_twice(org_client, edition, expert):
    granted = AuditEntry.objects.filter(action="accounts.role_granted")
    before = granted.count()
    assert _invite(org_client, edition, email=expert.email).status_code == 302
    assert granted.count() == before


def test_a_bad_inn_is_refused_on_the_field(org_client, edition):
    make_user("new.expert@example.ru")
    response = _invite(org_client, edition, organization_inn="1234567890")
    assert "organization_inn" in response.context["form"].errors
    assert Expert.objects.count() == 0


def test_the_pool_lists_load_and_capacity(org_client, edition, experts):
    page = org_client.get(reverse("reviews_admin:experts", args=[edition.year]))
    listed = list(page.context["experts"])
    assert [(e.user.email, e.load, e.capacity) for e in listed][:1] == [
        ("expert0@example.ru", 0, 10)
    ]


def test_editing_a_profile_is_audited(org_client, edition, experts):
    target = experts[0]
    url = reverse("reviews_admin:expert_edit", args=[edition.year, target.pk])
    response = org_client.post(
        url, {"nominations": [edition.nominations.get(code="1.2").pk], "capacity": 4}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.capacity == 4
    entry = AuditEntry.objects.get(action="reviews.expert_changed")
    assert (entry.before["capacity"], entry.after["capacity"]) == (10, 4)


def test_only_the_expert_responds_and_only_once(edition, organiser):
    invited = Expert.objects.create(edition=edition, user=make_user("i@example.ru"))
    with pytest.raises(PermissionDenied):
        pool.respond(invited, True, by=organiser)
    pool.respond(invited, True, by=invited.user)
    invited.refresh_from_db()
    assert invited.status == ExpertStatus.ACCEPTED and invited.responded_at
    with pytest.raises(ValidationError):
        pool.respond(invited, False, by=invited.user)
    assert AuditEntry.objects.filter(action="reviews.expert_accepted").count() == 1


def test_settings_are_saved_and_audited(org_client, edition):
    url = reverse("reviews_admin:settings", args=[edition.year])
    data = {"evaluations_per_application": 2, "disagreement_threshold": "1.5", "normalise": "on"}
    assert org_client.post(url, data).status_code == 302
    config = services.settings_for(edition)
    assert (config.evaluations_per_application, config.exclude_own_region, config.normalise) == (
        2,
        False,
        True,
    )
    assert AuditEntry.objects.filter(action="reviews.settings_changed").count() == 1
    response = org_client.post(url, {**data, "evaluations_per_application": 0})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["evaluations_per_application"]
