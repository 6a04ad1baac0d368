import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smartdialog.submissions import services
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import DraftConflict
from tests.submissions.conftest import fill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_saving_bumps_the_lock_version_and_replaces_results(draft, applicant):
    saved = fill(draft, applicant)
    assert saved.lock_version == 2
    assert [r.indicator for r in saved.results.all()] == ["Среднее время ожидания записи"]
    assert saved.problem == "Очереди в регистратуре и долгая запись к врачу."


def test_a_stale_save_keeps_both_texts(draft, applicant):
    stale_version = draft.lock_version
    fill(draft, applicant, problem="Текст первого участника")
    draft.lock_version = stale_version
    with pytest.raises(services.DraftConflictError) as error:
        fill(draft, applicant, problem="Текст второго участника")
    draft.refresh_from_db()
    assert draft.problem == "Текст первого участника"
    conflict = DraftConflict.objects.get()
    assert conflict.data["problem"] == "Текст второго участника"
    assert error.value.current.lock_version == 2


def test_a_submitted_application_cannot_be_saved_as_a_draft(complete_draft, applicant):
    services.submit(complete_draft, by=applicant)
    complete_draft.refresh_from_db()
    with pytest.raises(ValidationError):
        fill(complete_draft, applicant, problem="поздняя правка")


def test_a_pdf_is_accepted_and_its_type_comes_from_its_content(draft, applicant):
    attachment = services.add_attachment(draft, upload("отчёт.pdf", PDF), by=applicant)
    assert (attachment.content_type, attachment.size, attachment.original_name) == (
        "application/pdf",
        len(PDF),
        "отчёт.pdf",
    )
    assert len(attachment.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("программа.pdf", EXE, "file_type"),
        ("пусто.pdf", b"", "empty"),
        ("картинка.pdf", PNG, "file_extension"),
        ("script.html", b"<script>alert(1)</script>", "file_type"),
    ],
)
def test_bad_files_are_refused_with_a_reason(draft, applicant, name, content, code):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(draft, upload(name, content), by=applicant)
    assert error.value.code == code
    assert name in error.value.messages[0]
    assert not draft.attachments.exists()


def test_size_limits_per_file_and_per_application(draft, applicant, settings):
    settings.SUBMISSION_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.add_attachment(draft, upload("большой.pdf", PDF + b"0" * 200), by=applicant)
    assert error.value.code == "file_size"
    settings.SUBMISSION_TOTAL_MAX_BYTES = len(PDF) + 10
    services.add_attachment(draft, upload("первый.pdf", PDF), by=applicant)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(draft, upload("второй.pdf", PDF), by=applicant)
    assert error.value.code == "total_size"


def test_a_removed_file_stays_in_the_version_that_listed_it(complete_draft, applicant, moderator):
    attachment = services.add_attachment(complete_draft, upload("отчёт.pdf", PDF), by=applicant)
    services.submit(complete_draft, by=applicant)
    services.set_state(complete_draft, SubmissionState.IN_MODERATION, by=moderator)
    services.return_for_revision(
        complete_draft, by=moderator, comment="замените файл", field_comments={}
    )
    services.remove_attachment(attachment, by=applicant)
    complete_draft.refresh_from_db()
    services.submit(complete_draft, by=applicant)
    v1, v2 = complete_draft.versions.order_by("number")
    assert [a["name"] for a in v1.data["attachments"]] == ["отчёт.pdf"]
    assert v2.data["attachments"] == []
    attachment.refresh_from_db()
    assert attachment.file.read() == PDF
