"""Press text services: a draft from the numbers, edit, one published text, audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from smartdialog.audit.models import AuditEntry
from smartdialog.results import press
from smartdialog.results import services as results
from smartdialog.results.models import PressText
from smartdialog.results.summary import generate

pytestmark = pytest.mark.django_db

EMPTY = "The text is empty: write the press text or restore the generated one."


def actions(edition) -> list[str]:
    return list(
        AuditEntry.objects.filter(edition=edition, action__startswith="results.press")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_draft_keeps_the_numbers_it_was_written_from(voted, organiser):
    draft = press.create_draft(voted.edition, by=organiser)
    draft.refresh_from_db()
    assert draft.text == draft.generated_text == generate(draft.numbers)
    assert draft.numbers["voters"] == 8
    assert (
        draft.computed_at.isoformat()
        == datetime.datetime.fromisoformat(draft.numbers["computed_at"]).isoformat()
    )
    assert (draft.created_by, draft.published_at) == (organiser, None)
    assert actions(voted.edition) == ["results.press_drafted"]


@pytest.mark.parametrize("who", ["moderator", "expert", "outsider"])
def test_only_organisers_write_press_texts(voted, organiser, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        press.create_draft(voted.edition, by=user)
    draft = press.create_draft(voted.edition, by=organiser)
    for change in (
        lambda: press.edit(draft, "Другой текст", by=user),
        lambda: press.publish(draft, by=user),
        lambda: press.unpublish(draft, by=user),
    ):
        with pytest.raises(PermissionDenied):
            change()
    draft.refresh_from_db()
    assert (draft.text, draft.published_at) == (draft.generated_text, None)
    assert PressText.objects.count() == 1
    assert actions(voted.edition) == ["results.press_drafted"]


def test_an_edition_with_nothing_to_tell_has_no_draft(edition, organiser):
    with pytest.raises(ValidationError):
        press.create_draft(edition, by=organiser)
    assert not PressText.objects.exists()


def test_edit_replaces_the_text_and_keeps_the_generated_one(voted, organiser):
    draft = press.create_draft(voted.edition, by=organiser)
    press.edit(draft, "  Итоги голосования.\n\nВторой абзац.  ", by=organiser)
    draft.refresh_from_db()
    assert draft.text == "Итоги голосования.\n\nВторой абзац."
    assert draft.generated_text == generate(draft.numbers)
    entry = AuditEntry.objects.get(action="results.press_edited")
    assert entry.before == {"text": draft.generated_text}
    assert entry.after == {"text": draft.text}


def test_an_empty_text_is_refused_and_nothing_changes(voted, organiser):
    draft = press.create_draft(voted.edition, by=organiser)
    with pytest.raises(ValidationError) as refused:
        press.edit(draft, "   \n ", by=organiser)
    assert refused.value.message_dict == {"text": [gettext(EMPTY)]}
    draft.refresh_from_db()
    assert draft.text == draft.generated_text


def test_publishing_another_text_withdraws_the_previous_one(voted, organiser):
    first = press.create_draft(voted.edition, by=organiser)
    second = press.create_draft(voted.edition, by=organiser)
    press.publish(first, by=organiser)
    assert press.published(voted.edition) == first
    press.publish(second, by=organiser)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.published_at is None and second.published_by == organiser
    assert press.published(voted.edition) == second
    press.unpublish(second, by=organiser)
    assert press.published(voted.edition) is None
    assert actions(voted.edition) == [
        "results.press_drafted",
        "results.press_drafted",
        "results.press_published",
        "results.press_unpublished",
        "results.press_published",
        "results.press_unpublished",
    ]


def test_public_summary_shows_the_published_text_else_the_generated_one_once_public(
    voted, organiser
):
    edition = voted.edition
    assert press.public_summary(edition) == {}
    results.publish(edition, by=organiser, now=voted.closes_at + datetime.timedelta(hours=1))
    generated = press.public_summary(edition)
    assert generated["generated"].startswith("Идет общественное голосование")
    assert "Практика 1.1" in generated["generated"]
    draft = press.create_draft(edition, by=organiser)
    press.edit(draft, "Опубликованный текст.", by=organiser)
    press.publish(draft, by=organiser)
    assert press.public_summary(edition) == {"press_text": draft, "edition": edition}
