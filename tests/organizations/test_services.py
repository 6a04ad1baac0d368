import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.models import OutboundMessage
from smartdialog.organizations.models import Invitation, Membership, Organization
from smartdialog.organizations.services import (
    accept_invitation,
    invite,
    register_organization,
    update_organization,
)
from smartdialog.reference.models import ApplicantKind, Region
from tests.factories import make_user
from tests.organizations.factories import make_organization, organization_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_user("member@example.ru")


@pytest.fixture
def organization(member):
    return make_organization(member, short_name="ГКУ «Центр»")


def test_register_organization_makes_the_registrant_a_member_and_audits(member):
    organization = register_organization(
        Organization(**organization_data(inn="7707083893", ogrn="1027700132195")), by=member
    )
    assert list(organization.memberships.values_list("user", flat=True)) == [member.pk]
    assert organization.created_by == member
    entry = AuditEntry.objects.get(action="organizations.registered")
    assert (entry.actor, entry.edition, entry.object_id) == (member, None, str(organization.pk))
    assert entry.after["inn"] == "7707083893"


def test_register_organization_accepts_an_inn_from_another_region(member):
    """The INN's first digits are where the organisation was registered; it may have moved."""
    data = organization_data(inn="7707083893", region=Region.objects.get(code="50"))
    organization = register_organization(Organization(**data), by=member)
    assert (organization.inn[:2], organization.region.code) == ("77", "50")


def test_register_organization_refuses_a_taken_inn_with_a_hint_and_changes_nothing(
    organization, outsider
):
    counts = (Organization.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register_organization(Organization(**organization_data(inn=organization.inn)), by=outsider)
    assert error.value.message_dict == {
        "inn": [
            "The organisation «ГКУ «Центр»» with this INN is already registered: "
            "ask one of its members to invite you."
        ]
    }
    after = (Organization.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    assert after == counts


def test_register_organization_refuses_an_entrepreneur_inn_with_an_ogrn(member):
    data = organization_data(inn="500100732259", ogrn="1027700132195")
    with pytest.raises(ValidationError) as error:
        register_organization(Organization(**data), by=member)
    assert list(error.value.message_dict) == ["ogrn"]
    assert not Organization.objects.exists()


def test_register_organization_refuses_a_general_kind(member):
    data = organization_data(kind=ApplicantKind.objects.get(code="business"))
    with pytest.raises(ValidationError) as error:
        register_organization(Organization(**data), by=member)
    assert list(error.value.message_dict) == ["kind"]


def test_update_organization_records_before_and_after(organization, member):
    organization.short_name = "ГКУ «Новый центр»"
    update_organization(organization, by=member)
    entry = AuditEntry.objects.get(action="organizations.changed")
    assert (entry.before["short_name"], entry.after["short_name"]) == (
        "ГКУ «Центр»",
        "ГКУ «Новый центр»",
    )
    assert entry.edition is None


def test_update_organization_refuses_another_organisations_inn(organization, member):
    other = make_organization()
    organization.inn = other.inn
    with pytest.raises(ValidationError) as error:
        update_organization(organization, by=member)
    assert list(error.value.message_dict) == ["inn"]
    organization.refresh_from_db()
    assert organization.inn != other.inn


def test_invite_queues_the_mail_with_an_absolute_link_and_audits(organization, member, settings):
    settings.SITE_URL = "https://smartdialog.example/"
    invitation = invite(organization, "  Colleague@Example.RU ", by=member)
    assert invitation.email == "colleague@example.ru"
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )
    message = OutboundMessage.objects.get(key="organization.invitation")
    assert (message.to, message.related) == ("colleague@example.ru", invitation)
    assert f"https://smartdialog.example/organizations/join/{invitation.token}/" in message.body
    assert AuditEntry.objects.filter(action="organizations.member_invited").count() == 1


def test_invite_refuses_a_member(organization, member):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        invite(organization, "MEMBER@example.ru", by=member)
    assert error.value.message_dict == {
        "email": ["member@example.ru is already a member of «ГКУ «Центр»»."]
    }
    assert not Invitation.objects.exists()


def test_invite_refuses_a_second_pending_invitation(organization, member):
    invite(organization, "colleague@example.ru", by=member)
    with pytest.raises(ValidationError) as error:
        invite(organization, "colleague@example.ru", by=member)
    assert list(error.value.message_dict) == ["email"]
    assert Invitation.objects.count() == 1


@pytest.fixture
def invitation(organization, member):
    return invite(organization, "Colleague@example.ru", by=member)


def test_accept_invitation_by_the_invited_user_creates_the_membership(invitation, organization):
    colleague = make_user("colleague@EXAMPLE.ru")
    membership = accept_invitation(invitation.token, user=colleague)
    assert (membership.organization, membership.user) == (organization, colleague)
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague
    entry = AuditEntry.objects.get(action="organizations.member_joined")
    assert (entry.actor, entry.after["member"]) == (colleague, "colleague@example.ru")


def test_accept_invitation_refuses_another_users_email(invitation, outsider):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        accept_invitation(invitation.token, user=outsider)
    assert error.value.messages == [
        "This invitation was sent to colleague@example.ru, but you are logged in as "
        "outsider@example.ru: log in with the invited address."
    ]
    assert not Membership.objects.filter(user=outsider).exists()


def test_accept_invitation_refuses_an_expired_one(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    colleague = make_user("colleague@example.ru")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        accept_invitation(invitation.token, user=colleague)
    assert error.value.messages[0].startswith("This invitation expired on ")
    assert not Membership.objects.filter(user=colleague).exists()


def test_accept_invitation_twice_creates_one_membership(invitation):
    colleague = make_user("colleague@example.ru")
    accept_invitation(invitation.token, user=colleague)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        accept_invitation(invitation.token, user=colleague)
    assert error.value.messages == [
        "This invitation has already been used: open the organisation from your list."
    ]
    assert Membership.objects.filter(user=colleague).count() == 1
    assert AuditEntry.objects.filter(action="organizations.member_joined").count() == 1


def test_accept_invitation_refuses_an_unknown_token(outsider):
    with pytest.raises(ValidationError):
        accept_invitation("no-such-token", user=outsider)
