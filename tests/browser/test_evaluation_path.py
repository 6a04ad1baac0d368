"""Issue 5's path in a real browser: assignment, conflict, scoring, finalists, decision, PDF."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from smartdialog.accounts.models import Role
from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import Stage
from smartdialog.contests.services import create_stage
from smartdialog.reviews import decisions, services
from smartdialog.reviews.models import ReviewAssignment, WorkingGroup
from smartdialog.submissions.models import SubmissionVersion
from smartdialog.submissions.passport import snapshot
from tests.browser.helpers import log_in, log_out, verified
from tests.factories import give_role, make_edition, make_user
from tests.reviews.conftest import make_admitted, make_expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"
DAY = datetime.timedelta(days=1)
TITLES = ["Поликлиника: перезагрузка", "Электронная очередь", "Врач рядом", "Маршрут пациента"]


@pytest.fixture
def evaluation(db):
    """An edition in expert evaluation: four admitted applications, four experts, a group."""
    now = timezone.now()
    edition = make_edition(now.year, intake=(now - 60 * DAY, now - 30 * DAY))
    create_stage(
        Stage(
            edition=edition,
            kind=StageKind.EVALUATION,
            starts_at=now - 29 * DAY,
            ends_at=now + 20 * DAY,
        ),
        by=None,
    )
    organiser = make_user("org@example.ru")
    give_role(organiser, edition, Role.ORGANISER)
    for title in TITLES:
        submission = make_admitted(edition, title=title)
        SubmissionVersion.objects.create(
            submission=submission,
            number=1,
            created_by=submission.created_by,
            data=snapshot(submission),
        )
    experts = [
        make_expert(
            edition,
            f"expert{i}@example.ru",
            region_code="50",
            nominations=edition.nominations.filter(code="1.1"),
        )
        for i in range(4)
    ]
    members = [make_user(f"wg{i}@example.ru") for i in range(3)]
    for member in members:
        give_role(member, edition, Role.WORKING_GROUP)
    group = decisions.save_working_group(
        WorkingGroup(edition=edition, title="Рабочая группа «Здравоохранение»", quorum=2),
        members=members,
        nominations=edition.nominations.filter(code="1.1"),
        by=organiser,
    )
    verified(organiser, *(e.user for e in experts), *members)
    return edition, organiser, experts, members, group


def _score_the_rest(edition, best_title):
    """The other experts submit too, preferring `best_title`, so the ranking is complete."""
    for assignment in ReviewAssignment.objects.filter(
        withdrawn_at__isnull=True, review__isnull=True
    ):
        value = 9 if assignment.submission.title == best_title else 6
        services.save_review(
            assignment,
            by=assignment.expert.user,
            submit=True,
            values={c.pk: (value, "") for c in edition.criteria.all()},
        )


def test_assign_conflict_score_rank_finalists_decide(live_server, page, evaluation, screenshot):
    edition, organiser, experts, members, group = evaluation
    base, year = live_server.url, edition.year

    log_in(page, base, organiser.email, PASSWORD)
    page.goto(f"{base}/manage/{year}/reviews/")
    page.get_by_test_id("run-assignment").click()
    expect(page.get_by_test_id("assignment-run")).to_have_attribute("data-state", "done")
    assert ReviewAssignment.objects.filter(withdrawn_at__isnull=True).count() == 12
    log_out(page)

    expert = experts[0]
    log_in(page, base, expert.user.email, PASSWORD)
    page.goto(f"{base}/expert/")
    links = page.locator("a[href^='/expert/assignments/']")
    expect(links).to_have_count(3)
    conflicted_url, scored_url = (
        links.nth(0).get_attribute("href"),
        links.nth(1).get_attribute("href"),
    )
    page.goto(base + conflicted_url)
    page.get_by_test_id("conflict").locator("textarea").fill("Работал в этой организации")
    page.get_by_test_id("declare-conflict").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(base + scored_url)
    for field in page.locator("[data-testid=review-form] input[name^=score_]").all():
        field.fill("8")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("review-state")).to_contain_text("отправлена")
    screenshot("expert-review")
    log_out(page)

    conflicted = ReviewAssignment.objects.get(pk=int(conflicted_url.rstrip("/").split("/")[-1]))
    assert conflicted.withdrawn_at is not None
    assert (
        ReviewAssignment.objects.filter(
            submission=conflicted.submission, withdrawn_at__isnull=True
        ).count()
        == 3
    )
    _score_the_rest(edition, TITLES[0])

    nomination = edition.nominations.get(code="1.1")
    log_in(page, base, organiser.email, PASSWORD)
    page.goto(f"{base}/manage/{year}/reviews/nominations/{nomination.pk}/ranking/")
    expect(page.locator("main")).to_contain_text(TITLES[0])
    screenshot("ranking")
    page.goto(f"{base}/manage/{year}/reviews/nominations/{nomination.pk}/finalists/")
    boxes = page.locator("[data-testid=finalists] input[type=checkbox]")
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_role("button", name="Сохранить финалистов").click()
    expect(page.locator(".messages")).to_be_visible()
    assert nomination.finalists.count() == 3
    log_out(page)

    log_in(page, base, members[0].email, PASSWORD)
    page.goto(f"{base}/manage/{year}/working-groups/{group.pk}/")
    page.locator("a[href*='/decide/']").first.click()
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
    for member in members[:2]:
        form.locator(f"input[name=present][value='{member.pk}']").check()
    winner = nomination.finalists.order_by("rank").first().submission
    for member in members[:2]:  # the two present members state a preference
        form.locator(f"select[name=pref_{member.pk}]").select_option(str(winner.pk))
    form.locator("select[name=winner]").select_option(str(winner.pk))
    form.get_by_role("button").click()
    expect(page.locator(".messages")).to_be_visible()
    protocol = page.locator("a[href$='protocol.pdf']").first
    response = page.request.get(base + protocol.get_attribute("href"))
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert winner.title in text
    screenshot("decision")
