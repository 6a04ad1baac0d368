"""Each page: what a member may do, and what a wrong input shows."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from smartdialog.organizations.models import Invitation, Membership, Organization
from smartdialog.organizations.services import invite
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


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _post_data(**fields) -> dict:
    data = organization_data(**fields)
    data["kind"], data["region"] = data["kind"].pk, data["region"].pk
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_list_shows_only_my_organisations(client, member, organization, outsider):
    make_organization(outsider, short_name="Чужая организация")
    client.force_login(member)
    response = client.get(reverse("organizations:list"))
    assert list(response.context["organizations"]) == [organization]
    assert reverse("organizations:register") in response.content.decode()


def test_register_form_offers_sub_kinds_grouped_by_kind_and_all_regions(client, outsider):
    client.force_login(outsider)
    form = client.get(reverse("organizations:register")).context["form"]
    groups = [(label, len(options)) for label, options in form.fields["kind"].choices][1:]
    assert groups == [
        (str(kind), kind.children.count())
        for kind in ApplicantKind.objects.filter(parent__isnull=True).order_by("order")
    ]
    html = str(form["kind"])
    assert html.count("<optgroup") == 3
    assert f'value="{ApplicantKind.objects.get(code="business").pk}"' not in html
    assert form.fields["region"].queryset.count() == Region.objects.count() == 89


def test_register_creates_the_organisation_with_me_as_member(client, outsider):
    client.force_login(outsider)
    data = _post_data(short_name="  ГКУ «Новый»  ", inn=" 7707083893 ", ogrn="1027700132195")
    response = client.post(reverse("organizations:register"), data)
    organization = Organization.objects.get()
    assert response.url == reverse("organizations:detail", kwargs={"pk": organization.pk})
    assert (organization.short_name, organization.inn) == ("ГКУ «Новый»", "7707083893")
    assert list(Membership.objects.values_list("user", flat=True)) == [outsider.pk]


def test_register_shows_field_errors_for_bad_numbers_and_saves_nothing(english, outsider):
    english.force_login(outsider)
    data = _post_data(inn="7707083894", ogrn="10277001321", contact_phone="call me")
    response = english.post(reverse("organizations:register"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "inn": ["The INN check digit does not match: check the number."],
        "ogrn": [
            "OGRN must have 13 digits (organisation); "
            "OGRNIP has 15 digits (individual entrepreneur)."
        ],
        "contact_phone": ["Enter the phone number with its code, e.g. +7 495 123-45-67."],
    }
    assert not Organization.objects.exists()


def test_register_pins_an_inn_ogrn_mismatch_to_the_ogrn(client, outsider):
    client.force_login(outsider)
    data = _post_data(inn="500100732259", ogrn="1027700132195")
    response = client.post(reverse("organizations:register"), data)
    assert list(response.context["form"].errors) == ["ogrn"]


def test_register_with_a_taken_inn_names_the_organisation_to_ask(english, organization, outsider):
    english.force_login(outsider)
    response = english.post(reverse("organizations:register"), _post_data(inn=organization.inn))
    assert response.context["form"].errors == {
        "inn": [
            "The organisation «ГКУ «Центр»» with this INN is already registered: "
            "ask one of its members to invite you."
        ]
    }
    assert Organization.objects.count() == 1


def test_detail_shows_profile_members_and_pending_invitations(client, member, organization):
    invite(organization, "colleague@example.ru", by=member)
    client.force_login(member)
    response = client.get(reverse("organizations:detail", kwargs={"pk": organization.pk}))
    assert [m.user for m in response.context["members"]] == [member]
    assert [i.email for i in response.context["invitations"]] == ["colleague@example.ru"]
    assert response.context["can_invite"] is True


def test_html_typed_into_text_fields_is_shown_escaped(client, outsider):
    client.force_login(outsider)
    script = "<script>alert(1)</script>"
    data = _post_data(short_name=script, full_name=script, address=script, contact_name=script)
    response = client.post(reverse("organizations:register"), data, follow=True)
    html = response.content.decode()
    assert (script in html, html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4) == (
        False,
        True,
    )


def test_edit_saves_changes(client, member, organization):
    client.force_login(member)
    url = reverse("organizations:edit", kwargs={"pk": organization.pk})
    data = _post_data(short_name="ГКУ «Центр-2»", inn=organization.inn, ogrn=organization.ogrn)
    response = client.post(url, data)
    organization.refresh_from_db()
    assert (response.url, organization.short_name) == (
        reverse("organizations:detail", kwargs={"pk": organization.pk}),
        "ГКУ «Центр-2»",
    )


def test_edit_with_an_empty_name_shows_the_error_and_changes_nothing(client, member, organization):
    client.force_login(member)
    url = reverse("organizations:edit", kwargs={"pk": organization.pk})
    data = _post_data(short_name="   ", inn=organization.inn, ogrn=organization.ogrn)
    response = client.post(url, data)
    organization.refresh_from_db()
    assert (list(response.context["form"].errors), organization.short_name) == (
        ["short_name"],
        "ГКУ «Центр»",
    )


def test_invite_sends_an_invitation(english, member, organization):
    english.force_login(member)
    url = reverse("organizations:invite", kwargs={"pk": organization.pk})
    response = english.post(url, {"email": " colleague@example.ru "})
    assert response.url == reverse("organizations:detail", kwargs={"pk": organization.pk})
    assert _messages(response) == ["Invitation sent to colleague@example.ru."]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["colleague@example.ru"]


@pytest.mark.parametrize("email", ["not-an-address", "member@example.ru"])
def test_invite_shows_the_error_next_to_the_email(client, member, organization, email):
    client.force_login(member)
    url = reverse("organizations:invite", kwargs={"pk": organization.pk})
    response = client.post(url, {"email": email})
    assert (response.status_code, list(response.context["invite_form"].errors)) == (
        200,
        ["email"],
    )
    assert not Invitation.objects.exists()


@pytest.fixture
def invitation(organization, member):
    return invite(organization, "colleague@example.ru", by=member)


@pytest.fixture
def colleague(db):
    return make_user("Colleague@Example.ru")


def test_join_by_the_invited_user_makes_them_a_member(client, invitation, colleague):
    client.force_login(colleague)
    url = reverse("organizations:join", kwargs={"token": invitation.token})
    assert client.get(url).context["problem"] is None
    response = client.post(url)
    assert response.url == reverse(
        "organizations:detail", kwargs={"pk": invitation.organization_id}
    )
    assert Membership.objects.filter(user=colleague, organization=invitation.organization).exists()


def test_join_by_another_user_explains_and_changes_nothing(english, invitation, outsider):
    english.force_login(outsider)
    url = reverse("organizations:join", kwargs={"token": invitation.token})
    response = english.post(url)
    assert response.context["problem"] == (
        "This invitation was sent to colleague@example.ru, but you are logged in as "
        "outsider@example.ru: log in with the invited address."
    )
    assert not Membership.objects.filter(user=outsider).exists()


def test_join_an_expired_invitation_explains(english, invitation, colleague):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    english.force_login(colleague)
    url = reverse("organizations:join", kwargs={"token": invitation.token})
    response = english.get(url)
    assert response.context["problem"].startswith("This invitation expired on ")
    assert "Join the organisation" not in response.content.decode()


def test_join_a_used_invitation_explains(english, invitation, colleague):
    english.force_login(colleague)
    url = reverse("organizations:join", kwargs={"token": invitation.token})
    english.post(url)
    response = english.post(url)
    assert response.context["problem"] == (
        "This invitation has already been used: open the organisation from your list."
    )
    assert Membership.objects.filter(user=colleague).count() == 1
