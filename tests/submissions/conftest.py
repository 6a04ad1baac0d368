"""An edition whose intake is open now, an applicant organisation and a complete draft."""

import datetime

import pytest
from django.utils import timezone

from smartdialog.reference.models import Region
from smartdialog.submissions import services
from smartdialog.submissions.enums import ImplementationStatus
from tests.factories import make_edition, make_user
from tests.organizations.factories import make_organization


@pytest.fixture
def edition(db):
    """Overrides the shared fixture: this edition's intake runs from 10 days ago to 20 ahead."""
    now = timezone.now()
    return make_edition(
        now.year, intake=(now - datetime.timedelta(days=10), now + datetime.timedelta(days=20))
    )


@pytest.fixture
def applicant(db):
    return make_user("applicant@example.ru")


@pytest.fixture
def organization(applicant):
    return make_organization(member=applicant, contact_email="contact@example.ru")


@pytest.fixture
def draft(edition, organization, applicant):
    return services.create_draft(
        edition=edition,
        organization=organization,
        by=applicant,
        nomination=edition.nominations.get(code="1.1"),
        title="Поликлиника: перезагрузка",
    )


PASSPORT = {
    "problem": "Очереди в регистратуре и долгая запись к врачу.",
    "solution": "Открытая регистратура и электронная запись.",
    "implementation": "Пилот в трёх поликлиниках, затем во всех.",
    "implementation_status": ImplementationStatus.IMPLEMENTED,
    "started_on": datetime.date(2022, 1, 10),
    "finished_on": datetime.date(2022, 12, 20),
    "target_groups": "Взрослые пациенты поликлиник",
    "reach": 120000,
    "resources": "Средства регионального бюджета",
    "team": "Минздрав региона, главные врачи",
    "replication_potential": "Подходит для любой городской поликлиники",
}
RESULT = {
    "indicator": "Среднее время ожидания записи",
    "unit": "дней",
    "baseline_value": 14,
    "baseline_date": datetime.date(2022, 1, 1),
    "achieved_value": 3,
    "achieved_date": datetime.date(2022, 12, 31),
}


def fill(submission, by, **overrides):
    """Save a complete passport through the service, as the editor would."""
    fields = {
        f: getattr(submission, f)
        for f in ("title", "municipalities", "cost", "links", "replication_conditions")
    }
    fields.update(PASSPORT)
    fields.update(overrides)
    return services.save_draft(
        submission,
        fields=fields,
        many={"regions": [Region.objects.get(code="50")], "national_projects": []},
        results=[RESULT],
        by=by,
        expected_version=submission.lock_version,
    )


@pytest.fixture
def complete_draft(draft, applicant):
    return fill(draft, applicant)
