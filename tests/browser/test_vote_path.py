"""Issue 6's citizen path in a real browser: phone, SMS code, region, a vote in every section,
the receipts, the public check of a receipt, and a second vote refused."""

import re

import pytest
from django.core.cache import cache
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from smartdialog.reference.models import Region
from smartdialog.voting import sealing, sms
from smartdialog.voting.models import Ballot, Vote
from tests.voting.citizen.conftest import SECTIONS, make_ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_ballot(db):
    cache.clear()
    sms.outbox.clear()
    ballot = make_ballot()
    yield ballot
    cache.clear()
    sms.outbox.clear()


def _code_from_console_sms() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def test_citizen_votes_checks_the_receipt_and_cannot_vote_twice(
    page, live_server, open_ballot, screenshot
):
    base = live_server.url
    region = Region.objects.get(code="50")

    page.goto(base + "/vote/")
    page.locator("input[name=contact]").fill("8 (900) 123-45-67")
    page.get_by_test_id("identify-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("code-form")).to_be_visible()
    assert sms.outbox[-1].phone == "+79001234567"

    page.locator("input[name=code]").fill(_code_from_console_sms())
    page.get_by_test_id("code-form").locator("button[type=submit]").click()

    page.locator("select[name=region]").select_option(label=region.name)
    page.get_by_test_id("region-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("ballot-form")).to_be_visible()
    expect(page.get_by_test_id("voter-line")).to_contain_text(region.name)
    expect(page.get_by_test_id("section")).to_have_count(len(SECTIONS))

    # A second tab opened now keeps the ballot as it is before the vote.
    stale = page.context.new_page()
    stale.goto(base + "/vote/ballot/")

    for title, practices in SECTIONS.items():
        section = page.get_by_test_id("section").filter(has_text=title)
        section.get_by_test_id("entry").filter(has_text=practices[1]).locator("input").check()
    screenshot("vote-ballot")
    page.get_by_test_id("ballot-form").locator("button[type=submit]").click()
    for practices in SECTIONS.values():
        expect(page.get_by_text(practices[1])).to_be_visible()
    page.get_by_test_id("confirm-form").locator("button[type=submit]").click()

    receipts = page.get_by_test_id("receipt-code")
    expect(receipts).to_have_count(len(SECTIONS))
    codes = receipts.all_inner_texts()
    ballot = Ballot.objects.get()
    assert sorted(codes) == sorted(
        Vote.objects.filter(ballot=ballot).values_list("receipt", flat=True)
    )
    assert set(Vote.objects.values_list("region_id", flat=True)) == {region.pk}
    screenshot("vote-receipts")

    # The public check page finds the receipt in the sealed log.
    sealing.seal(ballot)
    page.get_by_test_id("receipt-check").first.click()
    expect(page.get_by_test_id("receipt-result")).to_contain_text(codes[0])
    expect(page.get_by_test_id("receipt-status")).to_have_text(_("Sealed in the public log"))

    # The stale tab tries to vote again in the first section: the core refuses.
    first_title, first_practices = next(iter(SECTIONS.items()))
    section = stale.get_by_test_id("section").filter(has_text=first_title)
    section.get_by_test_id("entry").filter(has_text=first_practices[0]).locator("input").check()
    stale.get_by_test_id("ballot-form").locator("button[type=submit]").click()
    stale.get_by_test_id("confirm-form").locator("button[type=submit]").click()
    first_vote = Vote.objects.get(section__title=first_title)
    expect(stale.get_by_test_id("refusal")).to_have_text(
        _(
            "You have already voted in the section «%(section)s»; a vote is final. "
            "Your receipt: %(receipt)s."
        )
        % {"section": first_title, "receipt": first_vote.receipt}
    )
    assert Vote.objects.filter(ballot=ballot).count() == len(SECTIONS)
    screenshot("vote-second-refused")
