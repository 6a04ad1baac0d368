from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .enums import EditionStatus
from .models import Edition, Nomination, Stage, StageDateChange


def current_edition() -> Edition | None:
    """The newest published edition: what the landing page shows."""
    return Edition.objects.filter(status=EditionStatus.PUBLISHED).order_by("-year").first()


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
    for stage in edition.stages.order_by("starts_at"):
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
    return Stage.objects.filter(edition=edition).order_by("starts_at")
