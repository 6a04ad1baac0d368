"""Organisers' vote pages: allowed, forbidden, invalid input."""

import pytest
from django.urls import reverse

from smartdialog.voting.models import Ballot, VoteExclusion
from smartdialog.voting.services import cast

from .conftest import make_voter, sections

pytestmark = pytest.mark.django_db


def test_dashboard_shows_counts_to_an_organiser(client, organiser, ballot):
    (health, (first, _)), _education = sections(ballot)
    cast(make_voter(), ballot, {health.pk: [first.pk]})
    client.force_login(organiser)
    response = client.get(reverse("vote_admin:dashboard", args=[ballot.edition.year]))
    assert response.status_code == 200
    assert response.context["tally"].counted == 1


def test_dashboard_is_forbidden_to_an_outsider(client, outsider, ballot):
    client.force_login(outsider)
    response = client.get(reverse("vote_admin:dashboard", args=[ballot.edition.year]))
    assert response.status_code == 403


def test_configure_with_closing_before_opening_is_refused_on_the_field(client, organiser, edition):
    client.force_login(organiser)
    response = client.post(
        reverse("vote_admin:configure", args=[edition.year]),
        {
            "opens_at": "2030-11-07T10:00",
            "closes_at": "2030-11-01T10:00",
            "content": "winners",
            "choices_per_section": 1,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["closes_at"] == [
        "Голосование должно закрываться позже, чем открывается."
    ]
    assert not Ballot.objects.exists()


def test_exclusion_by_receipt_and_restore(client, organiser, ballot):
    (health, (first, _)), _education = sections(ballot)
    [vote] = cast(make_voter(), ballot, {health.pk: [first.pk]})
    client.force_login(organiser)
    url = reverse("vote_admin:exclusions", args=[ballot.edition.year])
    response = client.post(url, {"receipt": vote.receipt.lower(), "reason": "Бот"})
    assert response.status_code == 302
    exclusion = VoteExclusion.objects.get(vote=vote)
    response = client.post(reverse("vote_admin:restore", args=[ballot.edition.year, exclusion.pk]))
    assert response.status_code == 302
    exclusion.refresh_from_db()
    assert exclusion.revoked_by == organiser


def test_exclusion_with_an_unknown_receipt_is_refused(client, organiser, ballot):
    client.force_login(organiser)
    url = reverse("vote_admin:exclusions", args=[ballot.edition.year])
    response = client.post(url, {"receipt": "ABCD-EFGH-JK", "reason": "Бот"})
    assert response.status_code == 400
    assert response.context["form"].errors["receipt"]
    assert not VoteExclusion.objects.exists()


def test_exclusion_is_forbidden_to_an_outsider(client, outsider, ballot):
    (health, (first, _)), _education = sections(ballot)
    [vote] = cast(make_voter(), ballot, {health.pk: [first.pk]})
    client.force_login(outsider)
    url = reverse("vote_admin:exclusions", args=[ballot.edition.year])
    response = client.post(url, {"receipt": vote.receipt, "reason": "Бот"})
    assert response.status_code == 403
    assert not VoteExclusion.objects.exists()
