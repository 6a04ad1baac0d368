import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission
from tests.submissions.test_drafts_and_files import EXE

pytestmark = pytest.mark.django_db


def _passport_post(submission, **overrides):
    data = {
        "lock_version": submission.lock_version,
        "title": submission.title,
        "problem": "Очереди",
        "solution": "Запись онлайн",
        "implementation": "Во всех",
        "implementation_status": "implemented",
        "started_on": "2022-01-10",
        "finished_on": "2022-12-20",
        "target_groups": "Пациенты",
        "reach": "1000",
        "resources": "Бюджет",
        "team": "Минздрав",
        "replication_potential": "Высокий",
        "regions": ["1"],
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "results-0-indicator": "Ожидание записи",
        "results-0-unit": "дней",
        "results-0-baseline_value": "14",
        "results-0-baseline_date": "2022-01-01",
        "results-0-achieved_value": "3",
        "results-0-achieved_date": "2022-12-31",
    }
    data.update(overrides)
    return data


def test_a_member_creates_a_draft(client, edition, organization, applicant):
    client.force_login(applicant)
    url = reverse("submissions:create") + f"?edition={edition.year}"
    response = client.post(
        url,
        {
            "organization": organization.pk,
            "nomination": edition.nominations.first().pk,
            "title": "Социальный навигатор",
        },
    )
    submission = Submission.objects.get(title="Социальный навигатор")
    assert response["Location"] == reverse("submissions:edit", args=[submission.pk])
    assert submission.created_by == applicant


def test_save_and_submit_from_the_editor(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:edit", args=[draft.pk])
    response = client.post(url, _passport_post(draft, submit="1"))
    assert response["Location"] == reverse("submissions:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == SubmissionState.SUBMITTED
    assert draft.versions.get().data["results"][0]["indicator"] == "Ожидание записи"


def test_incomplete_passport_is_saved_and_what_is_missing_is_listed(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:edit", args=[draft.pk])
    post = _passport_post(draft, submit="1", problem="", **{"results-TOTAL_FORMS": "0"})
    response = client.post(url, post, follow=True)
    draft.refresh_from_db()
    assert draft.state == SubmissionState.DRAFT
    assert draft.solution == "Запись онлайн"
    assert "results" in response.context["missing"]
    assert "problem" in response.context["missing"]


def test_bad_dates_are_refused_by_the_field_and_nothing_is_lost(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:edit", args=[draft.pk])
    response = client.post(url, _passport_post(draft, finished_on="2021-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["finished_on"]
    draft.refresh_from_db()
    assert draft.lock_version == 1


def test_autosave_answers_with_a_partial_and_the_new_lock_version(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:edit", args=[draft.pk])
    response = client.post(url, _passport_post(draft, autosave="1"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'name="lock_version" value="2"' in page
    assert "<html" not in page


def test_a_conflicting_save_shows_both_texts(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:edit", args=[draft.pk])
    client.post(url, _passport_post(draft, problem="Текст Анны"))
    response = client.post(url, _passport_post(draft, problem="Текст Бориса"))
    assert response.status_code == 200
    differences = response.context["conflict_differences"]
    assert "проблема, которую решает практика" in [d[0] for d in differences] or any(
        d[1] == "Текст Анны" and d[2] == "Текст Бориса" for d in differences
    )
    draft.refresh_from_db()
    assert draft.problem == "Текст Анны"


def test_an_executable_upload_is_refused_with_a_message(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("submissions:upload", args=[draft.pk])
    response = client.post(url, {"file": SimpleUploadedFile("отчёт.pdf", EXE)}, follow=True)
    assert "отчёт.pdf" in response.content.decode()
    assert not draft.attachments.exists()


def test_without_an_open_intake_the_page_says_so(client, applicant, db):
    client.force_login(applicant)
    response = client.get(reverse("submissions:create"))
    assert response.context["edition"] is None
    assert "не принимает заявки" in response.content.decode() or response.status_code == 200
