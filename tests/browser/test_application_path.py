"""Issue 4's whole path in a real browser: register, apply, return, resubmit, admit."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from smartdialog.accounts.demo import DEMO_PASSWORD, demo_email
from smartdialog.notifications.models import OutboundMessage
from smartdialog.submissions.models import Submission
from tests.browser.helpers import log_in, log_out
from tests.organizations.factories import inn_and_ogrn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "novyi.zayavitel@example.ru"
PASSWORD = "Parol-dlya-testa-2023"


def register_and_confirm(page, base):
    page.goto(base + "/accounts/signup/")
    page.locator("input[name=email]").fill(APPLICANT)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + link.split("/accounts", 1)[1].join(["/accounts", ""]))
    page.locator("form button[type=submit]").last.click()


def register_organisation(page, base):
    inn, ogrn = inn_and_ogrn(4242)
    page.goto(base + "/organizations/new/")
    page.locator("input[name=full_name]").fill("ГБУЗ «Городская поликлиника № 1»")
    page.locator("input[name=short_name]").fill("Поликлиника № 1")
    page.locator("select[name=kind]").select_option(label="Государственное учреждение")
    page.locator("select[name=region]").select_option(label="Московская область")
    page.locator("input[name=inn]").fill(inn)
    page.locator("input[name=ogrn]").fill(ogrn)
    page.locator("input[name=address]").fill("Москва, ул. Тверская, 1")
    page.locator("input[name=contact_name]").fill("Иванова Мария")
    page.locator("input[name=contact_email]").fill("polyclinic@example.ru")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_contain_text("Поликлиника № 1")


def fill_passport(page):
    values = {
        "problem": "Очереди в регистратуре",
        "solution": "Открытая регистратура",
        "implementation": "Пилот в трёх поликлиниках",
        "target_groups": "Взрослые пациенты",
        "resources": "Бюджет региона",
        "team": "Минздрав региона",
        "replication_potential": "Любая городская поликлиника",
    }
    for name, value in values.items():
        page.locator(f"textarea[name={name}]").fill(value)
    page.locator("select[name=implementation_status]").select_option("implemented")
    page.locator("input[name=started_on]").fill("2022-01-10")
    page.locator("input[name=reach]").fill("120000")
    page.locator("select[name=regions]").select_option(label="Московская область")
    row = {
        "indicator": "Время ожидания записи",
        "unit": "дней",
        "baseline_value": "14",
        "baseline_date": "2022-01-01",
        "achieved_value": "3",
        "achieved_date": "2022-12-31",
    }
    for name, value in row.items():
        page.locator(f"input[name=results-0-{name}]").fill(value)
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".messages")).to_contain_text("Черновик сохранён")


def test_apply_return_resubmit_admit(live_server, page, screenshot):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    register_and_confirm(page, base)
    log_in(page, base, APPLICANT, PASSWORD)
    register_organisation(page, base)

    page.goto(base + "/submissions/new/")
    page.locator("select[name=nomination]").select_option(index=1)
    page.locator("input[name=title]").fill("Поликлиника: перезагрузка")
    page.get_by_role("button", name="Создать черновик").click()
    fill_passport(page)
    page.locator("input[name=file]").set_input_files(
        files=[
            {
                "name": "отчёт.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    page.get_by_test_id("upload").click()
    expect(page.locator(".files")).to_contain_text("отчёт.pdf")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("state")).to_have_text("подана")
    submission = Submission.objects.get(title="Поликлиника: перезагрузка")
    year = submission.edition.year
    log_out(page)

    log_in(page, base, demo_email("moderator"), DEMO_PASSWORD)
    page.goto(f"{base}/manage/{year}/moderation/")
    page.get_by_role("link", name=submission.number).click()
    page.get_by_role("button", name="Взять на модерацию").click()
    page.locator("textarea[name=comment]").fill("Уточните масштаб проблемы")
    page.locator("summary").filter(has_text="Комментарии к полям").click()
    page.locator("textarea[name=note_problem]").fill("Сколько минут длилась очередь?")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("state")).to_have_text("возвращена на доработку")
    log_out(page)

    log_in(page, base, APPLICANT, PASSWORD)
    page.goto(f"{base}/submissions/{submission.pk}/edit/")
    expect(page.get_by_test_id("comment").first).to_contain_text("Сколько минут")
    screenshot("applicant-sees-comment")
    page.locator("textarea[name=problem]").fill("Очереди в регистратуре: 40 минут в среднем")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("state")).to_have_text("подана повторно")
    log_out(page)

    log_in(page, base, demo_email("moderator"), DEMO_PASSWORD)
    page.goto(f"{base}/manage/{year}/moderation/{submission.pk}/")
    page.get_by_role("button", name="Взять на модерацию").click()
    expect(page.get_by_test_id("diff")).to_contain_text("40 минут в среднем")
    screenshot("moderator-diff")
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_test_id("admit").click()
    expect(page.get_by_test_id("state")).to_have_text("допущена к экспертной оценке")
    log_out(page)

    log_in(page, base, APPLICANT, PASSWORD)
    page.goto(f"{base}/submissions/")
    expect(page.get_by_test_id("state").first).to_have_text("допущена к экспертной оценке")
    keys = list(
        OutboundMessage.objects.filter(to=APPLICANT).order_by("id").values_list("key", flat=True)
    )
    assert keys == [
        "submission.submitted",
        "submission.in_moderation",
        "submission.returned",
        "submission.resubmitted",
        "submission.in_moderation",
        "submission.admitted",
    ]
    assert OutboundMessage.objects.filter(to=APPLICANT, state="sent").count() == 6
