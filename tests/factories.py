"""Small builders for test data; they go through the real services where a service exists."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from smartdialog.accounts.models import Role
from smartdialog.accounts.services import grant_role
from smartdialog.contests.enums import EditionStatus, StageKind
from smartdialog.contests.models import Criterion, Direction, Edition, Nomination, Stage
from smartdialog.contests.services import create_stage, save_part

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def make_user(email: str, password: str = "secret-pass-123", **extra):
    return get_user_model().objects.create_user(email, password, **extra)


def make_edition(year=2030, *, status=EditionStatus.PUBLISHED, by=None, intake=None) -> Edition:
    """An edition with one direction, two nominations, one criterion and an intake stage
    (17 April – 18 June of `year` unless `intake` gives (start, end))."""
    edition = save_part(
        Edition(
            year=year,
            title=f"Смарт Диалог {year}",
            title_en=f"Smart Dialog {year}",
            organisers="АСИ",
            organisers_en="ASI",
            status=status,
        ),
        by=by,
    )
    direction = save_part(
        Direction(edition=edition, number=1, title="Здравоохранение", title_en="Healthcare"),
        by=by,
    )
    for code in ("1.1", "1.2"):
        save_part(
            Nomination(
                edition=edition,
                direction=direction,
                code=code,
                order=int(code[-1]),
                title=f"Номинация {code}",
                title_en=f"Nomination {code}",
            ),
            by=by,
        )
    save_part(
        Criterion(edition=edition, name="Новизна", name_en="Novelty", weight=Decimal(20)), by=by
    )
    starts_at, ends_at = intake or (moscow(year, 4, 17), moscow(year, 6, 18, 23, 59))
    create_stage(
        Stage(edition=edition, kind=StageKind.INTAKE, starts_at=starts_at, ends_at=ends_at),
        by=by,
    )
    return edition


def give_role(user, edition, role: Role, **kwargs):
    return grant_role(edition, user, role, by=None, **kwargs)
