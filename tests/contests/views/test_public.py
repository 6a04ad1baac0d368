import pytest
from django.urls import reverse

from smartdialog.contests.enums import EditionStatus
from tests.factories import make_edition

pytestmark = pytest.mark.django_db


def test_landing_shows_the_newest_published_edition(client, edition):
    make_edition(2031, status=EditionStatus.DRAFT)
    response = client.get(reverse("home"))
    assert response.context["edition"] == edition
    page = response.content.decode()
    assert "Номинация 1.1" in page
    assert "Приём заявок и модерация" in page


def test_landing_without_any_edition_says_so(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "пока не опубликован" in response.content.decode()


def test_a_draft_edition_is_404_for_the_public_and_visible_to_its_organiser(client, organiser):
    draft = make_edition(2031, status=EditionStatus.DRAFT)
    assert client.get(reverse("edition", args=[2031])).status_code == 404
    from smartdialog.accounts.models import Role
    from tests.factories import give_role

    give_role(organiser, draft, Role.ORGANISER)
    client.force_login(organiser)
    assert client.get(reverse("edition", args=[2031])).status_code == 200


def test_english_shows_english_content(client, edition):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "Nomination 1.1" in page
    assert "Smart Dialog 2030" in page
    assert "Номинация 1.1" not in page
