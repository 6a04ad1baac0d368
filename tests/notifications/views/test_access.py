"""Every mail page is for the edition's organisers and platform admins only."""

import pytest
from django.urls import reverse

from smartdialog.audit.models import AuditEntry
from smartdialog.notifications.models import MessageState, OutboundMessage
from smartdialog.notifications.urls import urlpatterns
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(queue_message):
    message = queue_message()
    OutboundMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED)
    return message


def _url(name, edition, failed):
    kwargs = {"year": edition.year}
    if name == "retry":
        kwargs["pk"] = failed.pk
    if name.startswith("template_"):
        kwargs.update(key="submission.returned", language="ru")
    return reverse(f"notifications:{name}", kwargs=kwargs)


NAMES = [p.name for p in urlpatterns]
PAGES = ["outbox", "templates", "template_edit"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_non_organisers_get_403_for_get_and_post(client, request, edition, failed, name, who):
    client.force_login(request.getfixturevalue(who))
    url = _url(name, edition, failed)
    assert client.get(url).status_code == 403
    assert client.post(url, {"subject": "x", "body": "y"}).status_code == 403
    assert AuditEntry.objects.filter(action__startswith="notifications.").count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_get_goes_to_login(client, edition, failed, name):
    response = client.get(_url(name, edition, failed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["organiser", "admin"])
def test_organisers_and_admins_open_every_page(client, request, edition, failed, name, who):
    if who == "admin":
        user = make_user("admin@example.ru", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(_url(name, edition, failed))
    assert response.status_code == 200
    assert edition.title in response.content.decode()
    assert (
        reverse("notifications:outbox", kwargs={"year": edition.year}) in response.content.decode()
    )


def test_a_message_of_another_edition_is_404(client, organiser, edition, queue_message):
    from tests.factories import make_edition

    other = make_edition(2031)
    message = OutboundMessage.objects.create(
        to="a@example.ru", subject="S", body="B", language="ru", key="x", edition=other
    )
    client.force_login(organiser)
    url = reverse("notifications:retry", kwargs={"year": edition.year, "pk": message.pk})
    assert client.post(url).status_code == 404


def test_an_unknown_template_key_is_404(client, organiser, edition):
    client.force_login(organiser)
    url = reverse(
        "notifications:template_edit",
        kwargs={"year": edition.year, "key": "submission.lost", "language": "ru"},
    )
    assert client.get(url).status_code == 404
