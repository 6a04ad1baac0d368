"""The 2023 edition of seed 001/004 as demo data, created through the real services."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ..enums import EditionStatus, StageKind
from ..models import Criterion, Direction, Edition, Nomination, Stage, StageDateChange
from ..services import create_stage, move_stage, save_part

DEMO_FILE = Path(__file__).resolve().parent / "edition_2023.json"
MOSCOW = ZoneInfo("Europe/Moscow")
# When each move was decided, as far as the seeds let us date it.
MOVED_ON = {
    "intake": datetime.date(2023, 6, 20),
    "evaluation": datetime.date(2023, 6, 30),
    "vote": datetime.date(2023, 10, 31),
    "results": datetime.date(2023, 12, 8),
    "replication": datetime.date(2023, 12, 8),
}


def _start(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=MOSCOW)


def _end(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=23, minute=59, tzinfo=MOSCOW)


def _lines(items: list[str]) -> str:
    return "\n".join(items)


def _create_edition(data: dict, *, year: int, title: str, title_en: str, by) -> Edition:
    """The edition with the 2023 directions, nominations and criteria; stages are the caller's."""
    edition = save_part(
        Edition(
            year=year,
            title=title,
            title_en=title_en,
            organisers=data["organisers_ru"],
            organisers_en=data["organisers_en"],
            summary=data["summary_ru"],
            summary_en=data["summary_en"],
            eligibility=_lines(data["eligibility_ru"]),
            eligibility_en=_lines(data["eligibility_en"]),
            rewards=_lines(data["rewards_ru"]),
            rewards_en=_lines(data["rewards_en"]),
            status=EditionStatus.PUBLISHED,
        ),
        by=by,
        reason="demo data",
    )
    for d in data["directions"]:
        direction = save_part(
            Direction(
                edition=edition,
                number=d["number"],
                title=d["title_ru"],
                title_en=d["title_en"],
                description=d["description_ru"],
                description_en=d["description_en"],
            ),
            by=by,
            reason="demo data",
        )
        for n in d["nominations"]:
            save_part(
                Nomination(
                    edition=edition,
                    direction=direction,
                    code=n["code"],
                    order=Nomination.order_for(n["code"]),
                    title=n["title_ru"],
                    title_en=n["title_en"],
                    description=n["description_ru"],
                    description_en=n["description_en"],
                ),
                by=by,
                reason="demo data",
            )
    for order, c in enumerate(data["criteria"], start=1):
        save_part(
            Criterion(
                edition=edition,
                name=c["name_ru"],
                name_en=c["name_en"],
                description=c["description_ru"],
                description_en=c["description_en"],
                weight=Decimal(c["weight"]),
                scale_min=c["scale_min"],
                scale_max=c["scale_max"],
                order=order,
            ),
            by=by,
            reason="demo data",
        )
    return edition


@transaction.atomic
def load_demo_edition(*, by) -> tuple[Edition, bool]:
    """Create the 2023 edition unless it exists; returns (edition, created)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    existing = Edition.objects.filter(year=data["year"]).first()
    if existing:
        return existing, False
    edition = _create_edition(
        data, year=data["year"], title=data["title_ru"], title_en=data["title_en"], by=by
    )
    Edition.objects.filter(pk=edition.pk).update(is_current=True)
    for s in data["stages"]:
        stage = create_stage(
            Stage(
                edition=edition,
                kind=s["kind"],
                title=s["title_ru"],
                title_en=s["title_en"],
                description=s["description_ru"],
                description_en=s["description_en"],
                starts_at=_start(s["planned_start"]),
                ends_at=_end(s["planned_end"]),
            ),
            by=by,
            reason="demo data: planned dates from seed 001",
        )
        if s.get("actual_start"):
            _replay_move(stage, s, by)
    return edition, True


def _replay_move(stage: Stage, s: dict, by) -> None:
    """Move a stage to its actual dates as an organiser did in 2023, dated to that day."""
    starts_at, ends_at = _start(s["actual_start"]), _end(s["actual_end"])
    if (starts_at, ends_at) == (stage.starts_at, stage.ends_at):
        return
    change = move_stage(
        stage,
        starts_at=starts_at,
        ends_at=ends_at,
        by=by,
        reason=s["change_reason_ru"],
        reason_en=s.get("change_reason_en", ""),
    )
    moved_on = datetime.datetime.combine(MOVED_ON[stage.kind], datetime.time(12), tzinfo=MOSCOW)
    StageDateChange.objects.filter(pk=change.pk).update(changed_at=moved_on)


# Days before and after today that each stage of the practice edition runs; stages of
# different kinds may overlap, so applications can still come in while experts score.
PRACTICE_DAYS = {"intake": (30, 60), "evaluation": (10, 50)}


def _practice_title(year: int) -> str:
    return f"Смарт Диалог {year}: учебный приём заявок"


def _practice_stage(edition: Edition, s: dict, today: datetime.date, *, by) -> Stage:
    """A stage of kind `s["kind"]` around today, starting no earlier than 1 January."""
    before, after = PRACTICE_DAYS[s["kind"]]
    first = max(today - datetime.timedelta(days=before), datetime.date(edition.year, 1, 1))
    last = today + datetime.timedelta(days=after)
    return create_stage(
        Stage(
            edition=edition,
            kind=s["kind"],
            title=s["title_ru"],
            title_en=s["title_en"],
            description=s["description_ru"],
            description_en=s["description_en"],
            starts_at=_start(first.isoformat()),
            ends_at=_end(last.isoformat()),
        ),
        by=by,
        reason="demo data",
    )


@transaction.atomic
def load_practice_edition(*, by, today: datetime.date | None = None) -> tuple[Edition, bool]:
    """A demo edition of this year whose intake and expert evaluation are open now.

    Same directions and nominations as 2023; intake runs from 30 days ago to 60 days ahead,
    evaluation from 10 days ago to 50 days ahead (`seed_practice` fills it). It is
    published but not the current edition, so the landing page still shows 2023. A practice
    edition made before it had an evaluation stage gets one.
    """
    today = today or timezone.localdate()
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    stages = {s["kind"]: s for s in data["stages"]}
    existing = Edition.objects.filter(year=today.year).first()
    if existing:
        missing = existing.title == _practice_title(today.year) and not (
            existing.stages.filter(kind=StageKind.EVALUATION).exists()
        )
        if missing:
            _practice_stage(existing, stages[StageKind.EVALUATION], today, by=by)
        return existing, False
    edition = _create_edition(
        data,
        year=today.year,
        title=_practice_title(today.year),
        title_en=f"Smart Dialog {today.year}: practice intake",
        by=by,
    )
    for kind in PRACTICE_DAYS:
        _practice_stage(edition, stages[kind], today, by=by)
    return edition, True
