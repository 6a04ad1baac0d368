"""Public log pages: the receipt check, the chain head."""

import pytest
from django.urls import reverse

from smartdialog.voting.sealing import seal
from smartdialog.voting.services import cast

from .conftest import make_voter, sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(ballot):
    (health, (first, _)), _education = sections(ballot)
    [vote] = cast(make_voter(), ballot, {health.pk: [first.pk]})
    return vote


def test_receipt_of_an_unsealed_vote_says_it_is_recorded(client, vote):
    response = client.get(reverse("vote:receipt"), {"code": vote.receipt.lower().replace("-", " ")})
    assert response.status_code == 200
    assert response.context["vote"] == vote
    assert "ещё не запечатан" in response.content.decode()


def test_receipt_of_a_sealed_vote_shows_its_batch_and_no_personal_data(client, vote, ballot):
    batch = seal(ballot)
    response = client.get(reverse("vote:receipt"), {"code": vote.receipt})
    page = response.content.decode()
    assert batch.hash in page
    assert "Запечатан в публичном журнале" in page
    assert vote.voter.phone not in page


@pytest.mark.parametrize("code", ["ABCD-EFGH-JK", "hello"])
def test_forged_or_malformed_receipt_gets_a_clear_message(client, vote, code):
    response = client.get(reverse("vote:receipt"), {"code": code})
    assert response.context["vote"] is None
    assert response.context["form"].errors["code"]


def test_log_page_shows_the_chain_head(client, vote, ballot):
    batch = seal(ballot)
    response = client.get(reverse("vote:log"), {"year": ballot.edition.year})
    assert response.context["head"]["batch"] == batch
    assert response.context["head"]["sealed"] == 1
    assert batch.hash in response.content.decode()


def test_log_of_an_edition_without_a_vote_is_a_404(client, edition):
    response = client.get(reverse("vote:log"), {"year": edition.year})
    assert response.status_code == 404
