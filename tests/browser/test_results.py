"""Issue 7's public results in a real browser: the generated summary, a region picked on the
map with its table, a CSV export, and a certificate verified by its code.

The data is built with the test helpers rather than `seed_demo` → `seed_intake` →
`seed_reviews` → `seed_vote` (about three minutes even at a small scale): a closed vote in
two directions with votes from four regions, the results published, certificates issued.
"""

import csv
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from smartdialog.accounts.models import Role
from smartdialog.results import certificates, services
from tests.factories import give_role, make_edition, make_user
from tests.results.public.conftest import put_many
from tests.voting.core.conftest import make_ballot, sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = timezone.timedelta(days=1)


@pytest.fixture
def published_vote(db):
    cache.clear()
    now = timezone.now()
    edition = make_edition(now.year - 1)
    organiser = make_user("organiser@example.ru")
    give_role(organiser, edition, Role.ORGANISER)
    ballot = make_ballot(edition, opens_at=now - 10 * DAY, closes_at=now - DAY)
    (_h, (health_1, health_2)), (_e, (education_1, education_2)) = sections(ballot)
    put_many(health_1, {"78": 6, "77": 3, "16": 1})
    put_many(health_2, {"77": 2})
    put_many(education_1, {"54": 2})
    put_many(education_2, {"54": 1, "78": 1})
    services.publish(edition, by=organiser)
    certificates.issue(edition, by=organiser)
    yield edition
    cache.clear()


def test_public_results_summary_map_export_and_certificate(
    page, live_server, published_vote, screenshot
):
    base, year = live_server.url, published_vote.year

    page.goto(f"{base}/results/{year}/")
    summary = page.get_by_test_id("generated-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Практика 1.1")
    expect(summary).to_contain_text("Санкт-Петербург")
    expect(summary).to_contain_text("16 человек")  # the voters, in words agreeing with 16
    screenshot("results-index")

    page.goto(f"{base}/results/{year}/regions/")
    expect(page.locator(".cartogram a.tile")).to_have_count(89)
    page.locator('.cartogram a.tile[data-region="78"]').click()
    expect(page).to_have_url(f"{base}/results/{year}/regions/78/")
    expect(page.locator("h1")).to_contain_text("Санкт-Петербург")
    ranking = page.get_by_test_id("table-ranking-1")
    expect(ranking.locator("tbody tr").first).to_contain_text("Практика 1.1")
    expect(ranking.locator("tbody tr").first.locator("td.num").nth(1)).to_have_text("6")
    screenshot("results-region")

    page.set_viewport_size({"width": 390, "height": 800})  # a phone
    page.goto(f"{base}/results/{year}/regions/")
    frame = page.locator(".cartogram-scroll").bounding_box()
    tile = page.locator('.cartogram a.tile[data-region="77"] rect').bounding_box()
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= 390  # the map scrolls inside
    assert tile["width"] >= 28  # tiles large enough to read and tap
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/results/{year}/regions/78/")

    with page.expect_download() as download_info:
        page.get_by_test_id("csv-ranking-1").click()
    download = download_info.value
    assert download.suggested_filename == f"smartdialog-{year}-ranking-1.csv"
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text else ","))
    votes_by_practice = {row[1]: row[4] for row in rows[1:]}
    assert votes_by_practice == {"Практика 1.1": "6", "Практика 1.2": "0"}

    code = certificates.of_edition(published_vote).first().code
    page.goto(f"{base}/certificates/")
    page.locator("input[name=code]").fill(code.lower().replace("-", " "))
    page.get_by_test_id("certificate-form").locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/certificates/{code}/")
    expect(page.get_by_test_id("certificate-status")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(code)
    screenshot("results-certificate")
