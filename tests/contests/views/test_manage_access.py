"""Every back-office URL refuses everyone but the edition's organisers, on the server."""

import pytest
from django.urls import reverse

from smartdialog.accounts.models import Role
from smartdialog.audit.models import AuditEntry
from smartdialog.urls import manage_patterns
from tests.factories import give_role, make_edition

pytestmark = pytest.mark.django_db


def _kwargs(pattern, edition, assignment):
    """URL arguments for a back-office pattern, pointing at real objects of `edition`."""
    route = str(pattern.pattern)
    kwargs = {}
    if "<int:year>" in route:
        kwargs["year"] = edition.year
    if "<part:part>" in route:
        kwargs["part"] = "nominations"
    if "<int:pk>" in route:
        if pattern.name.startswith("stage"):
            kwargs["pk"] = edition.stages.first().pk
        elif pattern.name.startswith("role"):
            kwargs["pk"] = assignment.pk
        else:
            kwargs["pk"] = edition.nominations.first().pk
    return kwargs


EDITION_URLS = [p for p in manage_patterns if "<int:year>" in str(p.pattern)]


def test_every_edition_url_is_covered_by_these_tests():
    names = {p.name for p in EDITION_URLS}
    assert names == {
        "edition",
        "edition_edit",
        "stage_create",
        "stage_edit",
        "stage_move",
        "roles",
        "role_revoke",
        "audit",
        "part_create",
        "part_edit",
        "part_delete",
    }


@pytest.fixture
def assignment(edition, moderator):
    return moderator.role_assignments.get(edition=edition)


@pytest.mark.parametrize("pattern", EDITION_URLS, ids=lambda p: p.name)
@pytest.mark.parametrize("who", ["moderator", "expert", "outsider", "other_organiser"])
def test_non_organisers_get_403_for_get_and_post(
    client, request, edition, assignment, pattern, who
):
    if who == "other_organiser":
        user = request.getfixturevalue("outsider")
        give_role(user, make_edition(2031), Role.ORGANISER)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse(f"manage:{pattern.name}", kwargs=_kwargs(pattern, edition, assignment))
    entries = AuditEntry.objects.count()
    assert client.get(url).status_code == 403
    post = client.post(url, {"reason": "x", "title": "взлом", "code": "9.9", "number": 9})
    assert post.status_code == 403
    assert AuditEntry.objects.count() == entries
    assert edition.nominations.filter(code="9.9").count() == 0


@pytest.mark.parametrize("pattern", EDITION_URLS, ids=lambda p: p.name)
def test_anonymous_get_goes_to_login_and_post_is_refused(client, edition, assignment, pattern):
    url = reverse(f"manage:{pattern.name}", kwargs=_kwargs(pattern, edition, assignment))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(url, {"reason": "x"}).status_code == 403


@pytest.mark.parametrize(
    "pattern", [p for p in EDITION_URLS if p.name != "role_revoke"], ids=lambda p: p.name
)
def test_the_organiser_opens_every_page(client, edition, organiser, assignment, pattern):
    client.force_login(organiser)
    url = reverse(f"manage:{pattern.name}", kwargs=_kwargs(pattern, edition, assignment))
    response = client.get(url)
    assert response.status_code == 200
    assert edition.title in response.content.decode()


def test_an_object_of_another_edition_is_404_for_this_edition_organiser(client, edition, organiser):
    other = make_edition(2031)
    client.force_login(organiser)
    url = reverse(
        "manage:part_edit",
        kwargs={"year": edition.year, "part": "nominations", "pk": other.nominations.first().pk},
    )
    assert client.get(url).status_code == 404


def test_creating_an_edition_is_for_organisers_only(client, outsider, organiser):
    client.force_login(outsider)
    assert client.post(reverse("manage:edition_create"), {"year": 2040}).status_code == 403
    client.force_login(organiser)
    assert client.get(reverse("manage:edition_create")).status_code == 200
