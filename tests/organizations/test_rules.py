import pytest
from django.contrib.auth.models import AnonymousUser

from smartdialog.organizations.selectors import is_member, organizations_of
from tests.factories import make_user
from tests.organizations.factories import make_organization

pytestmark = pytest.mark.django_db

PERMS = [
    "organizations.view_organization",
    "organizations.change_organization",
    "organizations.invite_member",
]


@pytest.fixture
def member(db):
    return make_user("member@example.ru")


@pytest.fixture
def organization(member):
    return make_organization(member)


@pytest.mark.parametrize("perm", PERMS)
def test_members_and_platform_admins_have_the_permission(perm, organization, member):
    admin = make_user("admin@example.ru", is_superuser=True)
    assert (member.has_perm(perm, organization), admin.has_perm(perm, organization)) == (
        True,
        True,
    )


@pytest.mark.parametrize("perm", PERMS)
def test_others_lack_the_permission(perm, organization, outsider, organiser, moderator):
    other_member = make_user("other@example.ru")
    make_organization(other_member)
    users = [outsider, organiser, moderator, other_member, AnonymousUser()]
    assert [user.has_perm(perm, organization) for user in users] == [False] * 5


def test_organizations_of_lists_only_the_users_organisations(organization, member, outsider):
    make_organization(outsider)
    assert list(organizations_of(member)) == [organization]
    assert list(organizations_of(AnonymousUser())) == []


def test_is_member_is_false_for_anonymous_and_for_no_organisation(organization, member):
    assert (
        is_member(member, organization),
        is_member(AnonymousUser(), organization),
        is_member(member, None),
    ) == (True, False, False)
