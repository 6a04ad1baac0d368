"""Pages of working groups: who may open what, and each form's allowed and refused paths."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from smartdialog.accounts.models import Role
from smartdialog.reviews.models import Decision, WorkingGroup
from tests.factories import give_role, make_user

from .conftest import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(group, nomination, finalists, members):
    return decide(group, nomination, finalists, by=members[0])


@pytest.fixture
def urls(edition, group, nomination, decision):
    year = edition.year
    return {
        "list": ("get", reverse("decisions:list", args=[year])),
        "create": ("get", reverse("decisions:create", args=[year])),
        "create_post": ("post", reverse("decisions:create", args=[year])),
        "detail": ("get", reverse("decisions:detail", args=[year, group.pk])),
        "edit": ("get", reverse("decisions:edit", args=[year, group.pk])),
        "edit_post": ("post", reverse("decisions:edit", args=[year, group.pk])),
        "record": ("get", reverse("decisions:record", args=[year, group.pk, nomination.pk])),
        "record_post": (
            "post",
            reverse("decisions:record", args=[year, group.pk, nomination.pk]),
        ),
        "confirm": ("post", reverse("decisions:confirm", args=[year, decision.pk])),
        "protocol": ("get", reverse("decisions:protocol", args=[year, decision.pk])),
    }


MEMBER_ALLOWED = {"list", "detail", "record", "protocol"}


def test_every_url_reaches_these_views(urls):
    """The back office's generic `<slug:part>/new/` patterns must not shadow ours."""
    assert {resolve(u).func.__module__ for _m, u in urls.values()} == {
        "smartdialog.reviews.views.decisions"
    }


def _status(client, method, url):
    return getattr(client, method)(url).status_code


def test_outsiders_get_403_on_every_url(client, urls, edition):
    other = make_user("other-wg@example.ru")
    give_role(other, edition, Role.WORKING_GROUP)  # the role, but not in this group
    for user in (make_user("nobody@example.ru"), other):
        client.force_login(user)
        assert {name: _status(client, *u) for name, u in urls.items()} == dict.fromkeys(urls, 403)


def test_members_open_their_pages_only(client, urls, members):
    client.force_login(members[2])
    statuses = {name: _status(client, *u) for name, u in urls.items() if u[0] == "get"}
    assert statuses == {name: 200 if name in MEMBER_ALLOWED else 403 for name in statuses}
    for name in ("create_post", "edit_post", "confirm"):
        assert _status(client, *urls[name]) == 403
    assert Decision.objects.get().confirmed_at is None


def test_anonymous_get_goes_to_login(client, urls):
    response = client.get(urls["detail"][1])
    assert (response.status_code, response.url.startswith(reverse("account_login"))) == (
        302,
        True,
    )


def test_organiser_creates_a_group(client, organiser, edition, members):
    client.force_login(organiser)
    nomination = edition.nominations.get(code="1.2")
    response = client.post(
        reverse("decisions:create", args=[edition.year]),
        {
            "title": "Группа 1.2",
            "nominations": [nomination.pk],
            "members": [m.pk for m in members[:2]],
            "quorum": 2,
        },
    )
    group = WorkingGroup.objects.get(title="Группа 1.2")
    assert response.url == reverse("decisions:detail", args=[edition.year, group.pk])
    assert list(group.nominations.all()) == [nomination]


def test_group_form_refuses_quorum_over_members(client, organiser, edition, members):
    client.force_login(organiser)
    response = client.post(
        reverse("decisions:create", args=[edition.year]),
        {
            "title": "Группа 1.2",
            "nominations": [edition.nominations.get(code="1.2").pk],
            "members": [members[0].pk],
            "quorum": 3,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["quorum"]
    assert not WorkingGroup.objects.filter(title="Группа 1.2").exists()


def _decision_form(members, finalists, present, winner):
    data = {
        "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "present": [m.pk for m in present],
        "winner": winner.submission_id,
        "dissent": "",
    }
    data.update({f"pref_{m.pk}": winner.submission_id for m in present})
    return data


def test_member_records_a_decision(client, edition, group, nomination, finalists, members):
    client.force_login(members[1])
    url = reverse("decisions:record", args=[edition.year, group.pk, nomination.pk])
    response = client.post(url, _decision_form(members, finalists, members[:2], finalists[2]))
    assert response.url == reverse("decisions:detail", args=[edition.year, group.pk])
    decision = Decision.objects.get()
    assert (decision.winner_id, decision.recorded_by) == (finalists[2].submission_id, members[1])
    page = client.get(response.url)
    assert finalists[2].submission.title in page.content.decode()


def test_decision_form_refuses_missing_quorum(
    client, edition, group, nomination, finalists, members
):
    client.force_login(members[1])
    url = reverse("decisions:record", args=[edition.year, group.pk, nomination.pk])
    response = client.post(url, _decision_form(members, finalists, members[:1], finalists[0]))
    assert response.status_code == 200
    assert response.context["form"].errors["present"]
    assert Decision.objects.count() == 0


def test_second_decision_needs_the_replace_box(
    client, edition, group, nomination, finalists, members, decision
):
    client.force_login(members[0])
    url = reverse("decisions:record", args=[edition.year, group.pk, nomination.pk])
    data = _decision_form(members, finalists, members, finalists[1])
    response = client.post(url, data)
    assert response.context["form"].errors["replace"]
    response = client.post(url, {**data, "replace": "on"})
    assert response.status_code == 302
    assert Decision.objects.get(is_current=True).supersedes == decision


def test_organiser_confirms(client, edition, organiser, decision):
    client.force_login(organiser)
    response = client.post(reverse("decisions:confirm", args=[edition.year, decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.confirmed_by == organiser


def test_protocol_download(client, edition, members, decision):
    client.force_login(members[0])
    response = client.get(reverse("decisions:protocol", args=[edition.year, decision.pk]))
    body = b"".join(response.streaming_content)
    assert (response["Content-Type"], body[:4]) == ("application/pdf", b"%PDF")


def test_other_editions_objects_are_404(client, organiser, edition, group, decision):
    client.force_login(organiser)
    assert (
        client.get(reverse("decisions:detail", args=[edition.year + 1, group.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("decisions:protocol", args=[edition.year + 1, decision.pk])).status_code
        == 404
    )
