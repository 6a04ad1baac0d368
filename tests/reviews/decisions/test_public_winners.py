"""Winners appear on the public edition page only after an organiser confirms."""

import pytest
from django.urls import reverse

from smartdialog.reviews import decisions
from tests.reviews.decisions.conftest import decide

pytestmark = pytest.mark.django_db


def test_a_winner_is_public_only_once_confirmed(
    client, group, nomination, finalists, members, organiser, edition
):
    decision = decide(group, nomination, finalists, by=members[0])
    url = reverse("edition", args=[edition.year])
    winner_title = decision.winner.title
    assert client.get(url).context["winners"] == []
    assert winner_title not in client.get(url).content.decode()
    decisions.confirm_decision(decision, by=organiser)
    page = client.get(url)
    assert [w.submission for w in page.context["winners"]] == [decision.winner]
    assert winner_title in page.content.decode()
