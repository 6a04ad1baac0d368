"""The 2023 edition of seed 001/004 as demo data, created through the real services."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from ..enums import EditionStatus
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


@transaction.atomic
def load_demo_edition(*, by) -> tuple[Edition, bool]:
    """Create the 2023 edition unless it exists; returns (edition, created)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    existing = Edition.objects.filter(year=data["year"]).first()
    if existing:
        return existing, False
    edition = save_part(
        Edition(
            year=data["year"],
            title=data["title_ru"],
            title_en=data["title_en"],
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
