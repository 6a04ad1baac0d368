import pytest
from django.core.exceptions import ValidationError

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import active_roles
from smartdialog.accounts.services import grant_role, revoke_role
from smartdialog.audit.models import AuditEntry
from smartdialog.reference.models import Region
from tests.factories import make_edition, make_user

pytestmark = pytest.mark.django_db


def test_grant_and_revoke_are_audited_and_revoking_keeps_history(edition, organiser, outsider):
    assignment = grant_role(edition, outsider, Role.EXPERT, by=organiser, reason="пул экспертов")
    assert active_roles(outsider, edition) == {"expert"}
    revoke_role(assignment, by=organiser, reason="конфликт интересов")
    assert active_roles(outsider, edition) == set()
    assignment.refresh_from_db()
    assert assignment.revoked_by == organiser
    actions = list(
        AuditEntry.objects.filter(edition=edition, action__startswith="accounts.")
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions[-2:] == [
        ("accounts.role_granted", "пул экспертов"),
        ("accounts.role_revoked", "конфликт интересов"),
    ]


def test_the_same_active_role_cannot_be_granted_twice(edition, organiser, outsider):
    grant_role(edition, outsider, Role.EXPERT, by=organiser)
    with pytest.raises(ValidationError) as error:
        grant_role(edition, outsider, Role.EXPERT, by=organiser)
    assert "outsider@example.ru" in error.value.message_dict["role"][0]


def test_a_revoked_role_can_be_granted_again(edition, organiser, outsider):
    revoke_role(grant_role(edition, outsider, Role.EXPERT, by=organiser), by=organiser)
    grant_role(edition, outsider, Role.EXPERT, by=organiser)
    assert active_roles(outsider, edition) == {"expert"}


def test_a_regional_official_needs_a_region(edition, organiser, outsider):
    with pytest.raises(ValidationError) as error:
        grant_role(edition, outsider, Role.REGIONAL_OFFICIAL, by=organiser)
    assert "region" in error.value.message_dict
    perm = Region.objects.get(code="59")
    grant_role(edition, outsider, Role.REGIONAL_OFFICIAL, by=organiser, region=perm)
    assert active_roles(outsider, edition) == {"regional_official"}


def test_an_organiser_manages_only_their_own_edition(edition, organiser):
    other = make_edition(2031)
    assert organiser.has_perm("contests.manage_edition", edition)
    assert not organiser.has_perm("contests.manage_edition", other)
    assert organiser.has_perm("contests.manage_edition", edition.nominations.first())


def test_other_roles_do_not_manage_the_edition(edition, moderator, expert, outsider):
    for user in (moderator, expert, outsider):
        assert not user.has_perm("contests.manage_edition", edition)
        assert not user.has_perm("accounts.manage_roles", edition)
        assert not user.has_perm("audit.view_log", edition)


def test_a_superuser_manages_every_edition(edition):
    admin = make_user("admin@example.ru", is_superuser=True)
    assert admin.has_perm("contests.manage_edition", edition)
