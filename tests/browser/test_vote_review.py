"""An organiser finds a planted farm on the review screen, excludes it, then restores it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from smartdialog.voting.models import VoteExclusion
from smartdialog.voting.tally import tally
from tests.browser.helpers import log_in, verified
from tests.voting.core.conftest import make_ballot, sections
from tests.voting.review.conftest import BROWSER, add_votes, hour_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_excludes_and_restores_a_farm(live_server, page, screenshot, organiser, edition):
    now = timezone.now()
    ballot = make_ballot(edition, opens_at=now - datetime.timedelta(days=3))
    (_health, (entry, _)), _education = sections(ballot)
    add_votes(entry, [hour_ago(8) + datetime.timedelta(minutes=i) for i in range(30)])
    farm = add_votes(
        entry,
        [hour_ago(5) + datetime.timedelta(seconds=20 * i) for i in range(20)],
        ips=[f"203.0.113.{i + 10}" for i in range(20)],
        agents=[BROWSER] * 20,
    )
    verified(organiser)
    log_in(page, live_server.url, organiser.email, "secret-pass-123")

    page.goto(f"{live_server.url}/manage/{edition.year}/vote/")
    page.get_by_test_id("review-link").click()
    group = page.get_by_test_id("signal-subnet").get_by_test_id("group")
    expect(group).to_have_count(1)
    expect(group).to_contain_text("203.0.113.0/24")
    expect(group.get_by_test_id("size")).to_have_text("20")
    screenshot("vote-review")

    group.get_by_role("link").click()
    expect(page.get_by_test_id("votes").locator("tbody tr")).to_have_count(20)
    page.locator("textarea[name=reason]").fill("Ферма ботов: одна сеть, один браузер, ночью")
    page.get_by_test_id("exclude-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("restore-form")).to_be_visible()
    expect(page.get_by_test_id("exclude-form")).to_have_count(0)
    screenshot("vote-review-group-excluded")
    assert (tally(ballot).counted, tally(ballot).excluded) == (30, 20)
    assert set(VoteExclusion.objects.values_list("vote__receipt", flat=True)) == {
        v.receipt for v in farm
    }

    page.get_by_test_id("restore-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("excluded-groups").locator("tbody tr")).to_have_count(0)
    assert (tally(ballot).counted, tally(ballot).excluded) == (50, 0)
