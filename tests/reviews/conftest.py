"""An edition in expert evaluation now, experts of its nominations, admitted applications."""

import datetime

import pytest
from django.utils import timezone

from smartdialog.contests.enums import StageKind
from smartdialog.contests.models import Stage
from smartdialog.contests.services import create_stage
from smartdialog.reference.models import Region
from smartdialog.reviews.enums import ExpertStatus
from smartdialog.reviews.models import Expert
from smartdialog.submissions.models import Submission
from tests.factories import make_edition, make_user
from tests.organizations.factories import make_organization

DAY = datetime.timedelta(days=1)


@pytest.fixture
def edition(db):
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
    return edition


def make_expert(
    edition,
    email,
    *,
    capacity=10,
    region_code=None,
    nominations=None,
    status=ExpertStatus.ACCEPTED,
    **fields,
):
    expert = Expert.objects.create(
        edition=edition,
        user=make_user(email),
        capacity=capacity,
        status=status,
        region=Region.objects.get(code=region_code) if region_code else None,
        **fields,
    )
    expert.nominations.set(nominations or edition.nominations.all())
    return expert


def make_admitted(edition, *, code="1.1", region_code="77", title="Практика"):
    """An admitted application, put straight into that state (the reviews app's input)."""
    organization = make_organization(region=Region.objects.get(code=region_code))
    return Submission.objects.create(
        edition=edition,
        organization=organization,
        title=title,
        state="admitted",
        created_by=organization.memberships.get().user,
        nomination=edition.nominations.get(code=code),
    )


@pytest.fixture
def experts(edition):
    return [make_expert(edition, f"expert{i}@example.ru", region_code="50") for i in range(4)]
