"""Organisers' press pages: allowed, forbidden (nothing changes), invalid input; the numbers
page public only for the published text."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from smartdialog.results import press
from smartdialog.results.models import PressText

pytestmark = pytest.mark.django_db

CAST = ["moderator", "expert", "outsider"]


def url(name, edition, *args):
    return reverse(f"press:{name}", args=[edition.year, *args])


def test_the_index_shows_the_generated_summary_with_a_copy_button(client, organiser, voted):
    client.force_login(organiser)
    response = client.get(url("index", voted.edition))
    assert response.status_code == 200
    assert response.context["generated"].startswith("Идет общественное голосование")
    body = response.content.decode()
    assert 'data-copy="generated"' in body
    assert "results/press.js" in body
    assert "Практика 1.1" in body


@pytest.mark.parametrize("who", CAST)
def test_the_pages_are_forbidden_to_others(client, organiser, voted, who, request):
    draft = press.create_draft(voted.edition, by=organiser)
    client.force_login(request.getfixturevalue(who))
    edition = voted.edition
    assert client.get(url("index", edition)).status_code == 403
    assert client.get(url("edit", edition, draft.pk)).status_code == 403
    for name, args in [
        ("create", ()),
        ("edit", (draft.pk,)),
        ("publish", (draft.pk,)),
        ("unpublish", (draft.pk,)),
    ]:
        assert client.post(url(name, edition, *args), {"text": "Чужой текст"}).status_code == 403
    draft.refresh_from_db()
    assert (draft.text, draft.published_at) == (draft.generated_text, None)
    assert PressText.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(client, voted):
    response = client.get(url("index", voted.edition))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_create_edit_and_publish(client, organiser, voted):
    client.force_login(organiser)
    edition = voted.edition
    response = client.post(url("create", edition))
    draft = PressText.objects.get()
    assert response.url == url("edit", edition, draft.pk)
    response = client.post(url("edit", edition, draft.pk), {"text": "Итоги.\n\nЕщё абзац."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Итоги.\n\nЕщё абзац."
    client.post(url("publish", edition, draft.pk))
    draft.refresh_from_db()
    assert draft.published_by == organiser
    client.post(url("unpublish", edition, draft.pk))
    draft.refresh_from_db()
    assert draft.published_at is None


def test_an_empty_text_is_refused_on_the_field_and_nothing_saved(client, organiser, voted):
    draft = press.create_draft(voted.edition, by=organiser)
    client.force_login(organiser)
    response = client.post(url("edit", voted.edition, draft.pk), {"text": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        gettext("The text is empty: write the press text or restore the generated one.")
    ]
    draft.refresh_from_db()
    assert draft.text == draft.generated_text


def test_another_editions_text_is_not_found(client, organiser, voted):
    draft = press.create_draft(voted.edition, by=organiser)
    client.force_login(organiser)
    response = client.get(reverse("press:edit", args=[voted.edition.year + 1, draft.pk]))
    assert response.status_code == 404


def test_the_numbers_of_a_draft_are_for_organisers_only(client, organiser, outsider, voted):
    draft = press.create_draft(voted.edition, by=organiser)
    numbers_url = url("numbers", voted.edition, draft.pk)
    assert client.get(numbers_url).status_code == 404
    client.force_login(outsider)
    assert client.get(numbers_url).status_code == 404
    client.force_login(organiser)
    response = client.get(numbers_url)
    assert response.status_code == 200
    assert response.context["numbers"]["active"][0] == ("Москва", 3)
    assert "Донецкая Народная Республика" in response.content.decode()


def test_the_numbers_of_the_published_text_are_public(client, organiser, voted):
    draft = press.create_draft(voted.edition, by=organiser)
    press.publish(draft, by=organiser)
    response = client.get(url("numbers", voted.edition, draft.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="published-text"' in body
    assert "Практика 1.1" in body
    assert response.context["is_organiser"] is False
