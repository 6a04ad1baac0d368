"""`make run` loads the 2023 edition of the seeds; loading it again changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from smartdialog.contests.models import Edition, StageDateChange
from tests.factories import moscow

pytestmark = pytest.mark.django_db

# Seed 001, word for word.
NOMINATIONS_2023 = {
    "1.1": "Формирование пациентоориентированного пространства в первичном звене здравоохранения",
    "1.2": "Новые информационные решения в помощь пациентам",
    "1.3": "Повышение доступности лекарственного обеспечения пациентов",
    "1.4": "Совершенствование управления скорой медицинской и неотложной помощью",
    "2.1": "Доступность образовательных организаций",
    "2.2": "Комфортные и безопасные условия в образовательных организациях",
    "2.3": "Высококвалифицированные кадры",
    "2.4": "Качество питания",
    "2.5": "Дополнительное образование детей",
    "3.1": "Доступность мер социальной поддержки",
    "3.2": "Гибкие подходы к предоставлению социальных услуг",
    "3.3": "Общество равных возможностей",
    "3.4": "Инструменты содействия занятости",
}


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_seed_demo_loads_the_2023_edition_as_published():
    call_command("seed_demo", stdout=io.StringIO())
    edition = Edition.objects.get(year=2023)
    assert [d.title for d in edition.directions.all()] == [
        "Здравоохранение",
        "Образование",
        "Социальная политика",
    ]
    assert dict(edition.nominations.values_list("code", "title")) == NOMINATIONS_2023
    assert list(edition.stages.values_list("kind", flat=True)) == [
        "intake",
        "evaluation",
        "vote",
        "results",
        "replication",
    ]
    assert edition.criteria.count() == 5


def test_seed_demo_keeps_planned_and_actual_dates():
    call_command("seed_demo", stdout=io.StringIO())
    intake = Edition.objects.get(year=2023).stages.get(kind="intake")
    assert intake.planned_ends_at == moscow(2023, 6, 18, 23, 59)
    assert intake.ends_at == moscow(2023, 6, 30, 23, 59)
    vote = Edition.objects.get(year=2023).stages.get(kind="vote")
    assert (vote.starts_at, vote.ends_at) == (moscow(2023, 11, 7), moscow(2023, 12, 8, 23, 59))
    change = StageDateChange.objects.get(stage=intake)
    assert "324" in change.reason


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
