"""Issue 7's press text in a real browser: the organiser copies the generated summary, saves
it as a draft, is refused an empty text without losing the page, edits, publishes, and the
public sees the text with the link to its numbers."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from smartdialog.accounts.models import Role
from smartdialog.results import services
from tests.browser.helpers import log_in, verified
from tests.factories import give_role, make_edition, make_user
from tests.results.public.conftest import put_many
from tests.voting.core.conftest import make_ballot, sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = timezone.timedelta(days=1)


@pytest.fixture
def closed_vote(db):
    cache.clear()
    now = timezone.now()
    edition = make_edition(now.year - 1)
    organiser = make_user("organiser@example.ru")
    verified(organiser)
    give_role(organiser, edition, Role.ORGANISER)
    ballot = make_ballot(edition, opens_at=now - 10 * DAY, closes_at=now - DAY)
    (_h, (health_1, health_2)), _education = sections(ballot)
    put_many(health_1, {"78": 6, "77": 3, "93": 1})
    put_many(health_2, {"77": 2})
    services.publish(edition, by=organiser)
    yield edition, organiser
    cache.clear()


def test_copy_draft_edit_publish(page, live_server, closed_vote, screenshot):
    edition, organiser = closed_vote
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    log_in(page, base, organiser.email, "secret-pass-123")

    page.goto(f"{base}/manage/{edition.year}/press/")
    generated = page.get_by_test_id("generated")
    expect(generated).to_contain_text("Подведены итоги общественного голосования")
    expect(generated).to_contain_text("Санкт-Петербурга – 6, Москвы – 3")
    page.get_by_test_id("copy-generated").first.click()
    expect(page.locator(".press-copy-status").first).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Подведены итоги общественного голосования")
    assert "\n\nПо направлению «Здравоохранение»" in copied
    screenshot("press-index")

    page.get_by_test_id("create-draft").click()
    text = page.locator("#id_text")
    expect(text).to_have_value(copied)
    text.fill("   ")
    page.get_by_test_id("press-form").locator("button[type=submit]").click()
    expect(page.locator(".error, .errorlist").first).to_be_visible()
    text.fill("Итоги голосования: первое место – «Практика 1.1».")
    page.get_by_test_id("press-form").locator("button[type=submit]").click()
    expect(page.locator("#id_text")).to_have_value(
        "Итоги голосования: первое место – «Практика 1.1»."
    )
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    screenshot("press-edit")

    page.context.clear_cookies()
    page.goto(f"{base}/results/{edition.year}/")
    summary = page.get_by_test_id("press-summary")
    expect(summary).to_contain_text("Итоги голосования: первое место – «Практика 1.1».")
    summary.get_by_test_id("press-numbers-link").click()
    expect(page.get_by_test_id("published-text")).to_contain_text("Итоги голосования")
    expect(page.get_by_test_id("active-regions")).to_contain_text("Санкт-Петербург")
    screenshot("press-numbers")
