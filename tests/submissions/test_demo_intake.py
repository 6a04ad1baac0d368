"""The generated 2023 intake: its shape, its history through the services, and repeatability."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from smartdialog.audit.models import AuditEntry
from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import Edition
from smartdialog.contests.selectors import stage_window
from smartdialog.notifications.models import OutboundMessage
from smartdialog.organizations.models import Organization
from smartdialog.submissions.demo import generate_intake
from smartdialog.submissions.demo.data import DIRECTION_SHARES, INTAKE_DOMAIN
from smartdialog.submissions.enums import SubmissionState
from smartdialog.submissions.models import Submission

pytestmark = pytest.mark.django_db
S = SubmissionState
SIZE = 60


@pytest.fixture
def edition_2023(db, settings, tmp_path):
    """The demo edition and accounts of `seed_demo`; attachments go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    return Edition.objects.get(year=2023)


@pytest.fixture
def intake(edition_2023):
    return generate_intake(edition_2023, size=SIZE, seed=1)


def _titles(edition) -> list[str]:
    return list(
        Submission.objects.filter(edition=edition).order_by("pk").values_list("title", flat=True)
    )


def test_intake_splits_directions_like_seed_004(edition_2023, intake):
    whole = sum(DIRECTION_SHARES.values())
    for number, share in DIRECTION_SHARES.items():
        count = Submission.objects.filter(
            edition=edition_2023, nomination__direction__number=number
        ).count()
        assert abs(count - SIZE * share / whole) <= 2, number
    assert intake["applications"] == SIZE


def test_intake_reaches_every_state(edition_2023, intake):
    states = set(Submission.objects.filter(edition=edition_2023).values_list("state", flat=True))
    assert states == set(S.values)
    assert intake["by_state"][S.ADMITTED] > SIZE / 2


def test_intake_freezes_a_version_for_every_sent_application(edition_2023, intake):
    for submission in Submission.objects.filter(edition=edition_2023):
        versions = submission.versions.count()
        if submission.state == S.DRAFT:
            assert versions == 0, submission.number
        else:
            assert versions >= 1, submission.number
            assert submission.submitted_at is not None


def test_intake_resubmitted_ones_have_two_versions_and_a_remark(edition_2023, intake):
    resubmitted = Submission.objects.filter(
        edition=edition_2023, transitions__to_state=S.RESUBMITTED
    ).distinct()
    assert resubmitted.count() >= 2
    for submission in resubmitted:
        assert submission.versions.count() == 2
        assert submission.comments.count() >= 1
        first, second = submission.versions.order_by("number")
        assert first.data != second.data


def test_intake_happens_inside_the_intake_window(edition_2023, intake):
    start, end = stage_window(edition_2023, StageKind.INTAKE)
    sent = Submission.objects.filter(edition=edition_2023, submitted_at__isnull=False)
    assert all(start <= s.submitted_at <= end for s in sent)
    assert all(
        start <= s.created_at <= end for s in Submission.objects.filter(edition=edition_2023)
    )
    assert timezone.now().year > 2023  # the real clock is back


def test_intake_sends_no_mail(edition_2023, intake):
    assert OutboundMessage.objects.count() == 0


def test_intake_organisations_and_members_are_marked(edition_2023, intake):
    organisations = Organization.objects.filter(submissions__edition=edition_2023).distinct()
    assert organisations.count() == intake["organisations"] < SIZE
    for organisation in organisations:
        assert organisation.contact_email.endswith(f"@{INTAKE_DOMAIN}")
        member = organisation.memberships.get().user
        assert member.email == organisation.contact_email
        assert member.emailaddress_set.get().verified


def test_intake_twice_adds_nothing(edition_2023, intake):
    before = (
        Submission.objects.count(),
        Organization.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )
    again = generate_intake(edition_2023, size=SIZE, seed=1)
    after = (
        Submission.objects.count(),
        Organization.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )
    assert again["created"] is False
    assert after == before


def test_intake_is_repeatable_with_the_same_seed(edition_2023):
    """Two runs, each in a database that has only the demo edition, give the same titles."""

    class Undo(Exception):
        pass

    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                generate_intake(edition_2023, size=SIZE, seed=1)
                runs.append(_titles(edition_2023))
                raise Undo
        except Undo:
            pass
    assert Submission.objects.count() == 0
    assert len(runs[0]) == SIZE
    assert runs[0] == runs[1]


def test_seed_intake_command_reports_counts(edition_2023):
    out = io.StringIO()
    call_command("seed_intake", "--size", "20", "--seed", "2", stdout=out)
    assert "generated 20 applications" in out.getvalue()
    out = io.StringIO()
    call_command("seed_intake", "--size", "20", stdout=out)
    assert "already has a generated intake" in out.getvalue()
    assert Submission.objects.count() == 20
