"""An admitted application with a frozen version and files, assigned to the `experts`."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from smartdialog.contests.models import Criterion
from smartdialog.contests.services import save_part
from smartdialog.reviews import services
from smartdialog.reviews.models import ReviewAssignment
from smartdialog.submissions.models import Attachment, SubmissionVersion
from smartdialog.submissions.passport import snapshot
from tests.reviews.conftest import make_admitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_file(submission, name, content=PDF, **fields):
    attachment = Attachment(
        submission=submission,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=submission.created_by,
        **fields,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def freeze(submission):
    """The submitted version, as `submit` would have frozen it."""
    return SubmissionVersion.objects.create(
        submission=submission, number=1, created_by=submission.created_by, data=snapshot(submission)
    )


def member_of(submission):
    return submission.organization.memberships.get().user


def close_evaluation(edition):
    stage = edition.stages.get(kind="evaluation")
    type(stage).objects.filter(pk=stage.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def error_for(response, name: str) -> list[str]:
    """The messages shown next to the field `name` of the review form."""
    html = response.content.decode()
    return re.findall(rf'data-testid="error-{name}">(.*?)</p>', html)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def criteria(edition):
    """Two criteria: the edition's «Новизна» (1–10) and «Эффект» (0–5)."""
    save_part(
        Criterion(
            edition=edition,
            name="Эффект",
            description="Измеримый результат",
            weight=Decimal(30),
            scale_min=0,
            scale_max=5,
            order=2,
        ),
        by=None,
    )
    return list(edition.criteria.all())


@pytest.fixture
def application(edition):
    """Admitted, with a file in its version and one added after (not in the version)."""
    submission = make_admitted(edition, title="Электронная очередь")
    type(submission).objects.filter(pk=submission.pk).update(problem="Долгое ожидание")
    submission.refresh_from_db()
    submission.listed = add_file(submission, "отчёт.pdf")
    submission.version = freeze(submission)
    submission.unlisted = add_file(submission, "позже.pdf", content=PDF + b"later")
    return submission


@pytest.fixture
def assignment(edition, experts, application, organiser):
    return services.assign_by_hand(application, experts[0], by=organiser)


@pytest.fixture
def colleague_assignment(edition, experts, application, organiser):
    """Another expert's assignment of the same application."""
    return services.assign_by_hand(application, experts[1], by=organiser)


@pytest.fixture
def expert_client(client, assignment):
    client.force_login(assignment.expert.user)
    return client


def active_experts(submission) -> set[int]:
    return set(
        ReviewAssignment.objects.filter(
            submission=submission, withdrawn_at__isnull=True
        ).values_list("expert_id", flat=True)
    )
