"""The foundation's end-to-end path, as a visitor and then the demo organiser see it."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from smartdialog.accounts.demo import DEMO_PASSWORD, demo_email
from tests.contests.test_demo import NOMINATIONS_2023

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_landing_language_switch_and_organiser_moves_the_intake_end(live_server, page, screenshot):
    call_command("seed_demo", stdout=io.StringIO())

    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Смарт Диалог 2023")
    titles = page.locator("[data-testid=nomination] .nomination-title").all_inner_texts()
    assert titles == list(NOMINATIONS_2023.values())
    stages = page.locator("[data-testid=timeline] > li")
    expect(stages).to_have_count(5)
    expect(page.get_by_test_id("stage-dates-intake")).to_have_text("17 апреля 2023 — 30 июня 2023")
    screenshot("landing-ru")

    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_have_text("Smart Dialog 2023")
    expect(page.get_by_role("heading", name="Directions and nominations")).to_be_visible()
    expect(page.get_by_test_id("stage-dates-intake")).to_have_text("17 April 2023 — 30 June 2023")
    assert "Healthcare" in page.locator("main").inner_text()
    screenshot("landing-en")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_have_text("Смарт Диалог 2023")

    page.get_by_role("link", name="Войти").click()
    page.locator("input[name=login]").fill(demo_email("organiser"))
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.get_by_role("link", name="Управление конкурсом").click()
    page.get_by_role("link", name="Смарт Диалог 2023").click()
    page.get_by_test_id("move-intake").click()

    page.locator("input[name=ends_at]").fill("2023-07-05T23:59")
    page.locator("textarea[name=reason]").fill("Дополнительное продление для новых регионов")
    page.get_by_test_id("move-submit").click()
    expect(page.locator(".messages")).to_contain_text("Сроки этапа перенесены")

    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("stage-dates-intake")).to_have_text("17 апреля 2023 — 5 июля 2023")

    page.goto(live_server.url + "/manage/2023/audit/?action=contests.stage_moved")
    first_row = page.get_by_test_id("audit-log").locator("tbody tr").first
    expect(first_row).to_contain_text("Дополнительное продление для новых регионов")
    expect(first_row).to_contain_text(demo_email("organiser"))
    screenshot("audit-log")
