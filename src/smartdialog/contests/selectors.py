from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .enums import EditionStatus
from .models import Edition, Nomination, Stage, StageDateChange


def current_edition() -> Edition | None:
    """What the landing page shows: the edition marked current, else the newest published."""
    published = Edition.objects.filter(status=EditionStatus.PUBLISHED)
    return published.filter(is_current=True).first() or published.order_by("-year").first()


def editions_open_for_intake(now=None) -> QuerySet:
    """Published editions whose intake stage is under way now."""
    now = now or timezone.now()
    return (
        Edition.objects.filter(
            status=EditionStatus.PUBLISHED,
            stages__kind="intake",
            stages__starts_at__lte=now,
            stages__ends_at__gte=now,
        )
        .distinct()
        .order_by("-year")
    )


def public_edition(year: int, user) -> Edition | None:
    """A published edition, or a draft for those who manage it."""
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        return None
    if edition.status == EditionStatus.DRAFT and not user.has_perm(
        "contests.manage_edition", edition
    ):
        return None
    return edition


def directions_with_nominations(edition: Edition) -> QuerySet:
    return edition.directions.prefetch_related(
        Prefetch("nominations", queryset=Nomination.objects.order_by("order", "code"))
    )


def timeline(edition: Edition, now=None) -> list[dict]:
    """Stages in order, each with its status now (upcoming, under way, finished)."""
    now = now or timezone.now()
    items = []
    for stage in edition.stages.order_by("starts_at", "pk"):
        status = stage.status(now)
        items.append({"stage": stage, "status": status, "label": Stage.Status(status).label})
    return items


def stage_history(edition: Edition) -> QuerySet:
    return (
        StageDateChange.objects.filter(stage__edition=edition)
        .select_related("stage", "changed_by")
        .order_by("-changed_at", "-id")
    )


def stages_of(edition: Edition) -> QuerySet:
    return Stage.objects.filter(edition=edition).order_by("starts_at", "pk")


def stage_window(edition: Edition, kind: str) -> tuple | None:
    """(first start, last end) of the edition's stages of one kind, or None."""
    stages = list(edition.stages.filter(kind=kind).order_by("starts_at", "pk"))
    if not stages:
        return None
    return stages[0].starts_at, max(s.ends_at for s in stages)
