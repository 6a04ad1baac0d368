"""The review pages: allowed, forbidden, invalid input."""

import pytest
from django.urls import reverse

from smartdialog.voting.models import VoteExclusion
from smartdialog.voting.tally import tally

from .conftest import BROWSER, add_votes, hour_ago
from .test_anomalies import minutes

pytestmark = pytest.mark.django_db
NETWORK = "203.0.113.0/24"


@pytest.fixture
def farm(ballot, entry):
    add_votes(entry, minutes(hour_ago(6), 30))
    return add_votes(
        entry,
        minutes(hour_ago(5), 20),
        ips=[f"203.0.113.{i + 10}" for i in range(20)],
        agents=[BROWSER] * 20,
    )


@pytest.fixture
def key(ballot, farm):
    from smartdialog.voting.anomalies import BY_CODE

    [group] = BY_CODE["subnet"].groups(ballot)
    return group.key


def url(name, ballot, *args):
    return reverse(f"vote_admin:{name}", args=[ballot.edition.year, *args])


def test_the_review_page_lists_the_signals_and_their_groups(client, organiser, ballot, farm):
    client.force_login(organiser)
    response = client.get(url("review", ballot))
    assert response.status_code == 200
    reports = {r.signal.code: r.groups for r in response.context["reports"]}
    assert [(g.ip, g.size) for g in reports["subnet"]] == [(NETWORK, 20)]
    page = response.content.decode()
    assert NETWORK in page and BROWSER in page
    samples = reports["subnet"][0].samples
    assert samples and all(receipt in page for receipt in samples)
    assert {receipt for receipt in samples} <= {v.receipt for v in farm}


def test_the_dashboard_links_to_the_review(client, organiser, ballot):
    client.force_login(organiser)
    response = client.get(url("dashboard", ballot))
    assert url("review", ballot) in response.content.decode()


def test_a_group_page_lists_its_votes(client, organiser, ballot, farm, key):
    client.force_login(organiser)
    response = client.get(url("review_group", ballot, "subnet"), {"group": key})
    assert response.status_code == 200
    assert response.context["group"].size == 20
    assert sorted(v.receipt for v in response.context["votes"]) == sorted(v.receipt for v in farm)


def test_an_unknown_group_page_says_so(client, organiser, ballot, farm):
    client.force_login(organiser)
    response = client.get(url("review_group", ballot, "subnet"), {"group": "10.0.0.0/24|x"})
    assert response.status_code == 404
    assert response.context["group"] is None
    assert client.get(url("review_group", ballot, "nosuch"), {"group": "x"}).status_code == 404


def test_excluding_and_restoring_a_group(client, organiser, ballot, entry, farm, key):
    client.force_login(organiser)
    response = client.post(
        url("review_exclude", ballot, "subnet"), {"group": key, "seen": 20, "reason": "Ферма"}
    )
    assert response.status_code == 302
    assert tally(ballot).excluded == 20
    page = client.get(response["Location"])
    assert page.context["excluded_by_group"] == 20
    assert [r["votes"] for r in client.get(url("review", ballot)).context["excluded_groups"]] == [
        20
    ]
    response = client.post(url("review_restore", ballot, "subnet"), {"group": key})
    assert response.status_code == 302
    assert (tally(ballot).counted, tally(ballot).excluded) == (50, 0)


def test_an_empty_reason_is_refused_on_the_field(client, organiser, ballot, farm, key):
    client.force_login(organiser)
    response = client.post(
        url("review_exclude", ballot, "subnet"), {"group": key, "seen": 20, "reason": " "}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Укажите, почему голоса этой группы исключаются."
    ]
    assert not VoteExclusion.objects.exists()


def test_a_stale_group_is_refused_and_shown_as_it_is_now(client, organiser, ballot, farm, key):
    client.force_login(organiser)
    response = client.post(
        url("review_exclude", ballot, "subnet"), {"group": key, "seen": 19, "reason": "Ферма"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Группа изменилась с тех пор, как вы её открыли: в ней 20 голосов, а вы видели 19. "
        "Просмотрите её ещё раз, прежде чем исключать."
    ]
    assert response.context["group"].size == 20
    assert not VoteExclusion.objects.exists()


def test_a_vanished_group_is_refused(client, organiser, ballot, farm):
    client.force_login(organiser)
    response = client.post(
        url("review_exclude", ballot, "subnet"),
        {"group": "10.0.0.0/24|x", "seen": 20, "reason": "Ферма"},
    )
    assert response.status_code == 400
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Этой группы больше нет среди сигналов")
    )
    assert not VoteExclusion.objects.exists()


def test_excluding_an_excluded_group_again_is_refused(client, organiser, ballot, farm, key):
    client.force_login(organiser)
    data = {"group": key, "seen": 20, "reason": "Ферма"}
    client.post(url("review_exclude", ballot, "subnet"), data)
    response = client.post(url("review_exclude", ballot, "subnet"), data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Все голоса этой группы уже исключены."]
    assert VoteExclusion.objects.count() == 20


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_the_review_is_forbidden_to_others(request, client, ballot, farm, key, organiser, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("review", ballot)).status_code == 403
    assert client.get(url("review_group", ballot, "subnet"), {"group": key}).status_code == 403
    response = client.post(
        url("review_exclude", ballot, "subnet"), {"group": key, "seen": 20, "reason": "Ферма"}
    )
    assert response.status_code == 403
    assert not VoteExclusion.objects.exists()
    client.force_login(organiser)
    client.post(
        url("review_exclude", ballot, "subnet"), {"group": key, "seen": 20, "reason": "Ферма"}
    )
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("review_restore", ballot, "subnet"), {"group": key}).status_code == 403
    assert tally(ballot).excluded == 20
