"""Every organisation URL refuses non-members (403), unknown organisations (404) and
anonymous visitors, on the server."""

import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.organizations.models import Invitation
from smartdialog.organizations.urls import urlpatterns
from tests.factories import make_user
from tests.organizations.factories import make_organization

pytestmark = pytest.mark.django_db

PK_URLS = [p.name for p in urlpatterns if "<int:pk>" in str(p.pattern)]


def test_every_url_is_covered_by_these_tests():
    names = {p.name for p in urlpatterns}
    assert (set(PK_URLS), names) == (
        {"detail", "edit", "invite"},
        {"list", "register", "detail", "edit", "invite", "join"},
    )


@pytest.fixture
def member(db):
    return make_user("member@example.ru")


@pytest.fixture
def organization(member):
    return make_organization(member, short_name="ГКУ «Центр»")


@pytest.mark.parametrize("name", PK_URLS)
@pytest.mark.parametrize("who", ["outsider", "organiser", "moderator", "expert"])
def test_non_members_get_403_for_get_and_post(client, request, organization, name, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"organizations:{name}", kwargs={"pk": organization.pk})
    entries = AuditEntry.objects.count()
    if name != "invite":  # POST only: a GET is 405 for everyone, see below
        assert client.get(url).status_code == 403
    post = client.post(url, {"short_name": "взлом", "email": "spy@example.ru"})
    assert post.status_code == 403
    organization.refresh_from_db()
    assert (organization.short_name, AuditEntry.objects.count()) == ("ГКУ «Центр»", entries)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", PK_URLS)
def test_unknown_organisation_is_404(client, member, organization, name):
    client.force_login(member)
    url = reverse(f"organizations:{name}", kwargs={"pk": organization.pk + 1000})
    assert client.post(url).status_code == 404
    if name != "invite":
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", [*PK_URLS, "list", "register", "join"])
def test_anonymous_is_sent_to_login_and_changes_nothing(client, organization, name):
    kwargs = {"pk": organization.pk} if name in PK_URLS else {}
    if name == "join":
        kwargs = {"token": "some-token"}
    url = reverse(f"organizations:{name}", kwargs=kwargs)
    entries = AuditEntry.objects.count()
    for response in (client.get(url), client.post(url, {"email": "spy@example.ru"})):
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))
    assert AuditEntry.objects.count() == entries


def test_unknown_invitation_token_is_404(client, outsider):
    client.force_login(outsider)
    url = reverse("organizations:join", kwargs={"token": "no-such-token"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_invite_refuses_get_from_anyone(client, request, organization, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("organizations:invite", kwargs={"pk": organization.pk})
    assert client.get(url).status_code == 405
