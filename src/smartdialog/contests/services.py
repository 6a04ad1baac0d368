"""Every change to contest setup goes through here, is validated and audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from smartdialog.audit.services import record, snapshot

from .models import Edition, Stage, StageDateChange
from .validators import raise_if, validate_stage_dates


def _editable_fields(instance: models.Model) -> list[str]:
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.editable and not f.primary_key and not f.auto_created
    ]


@transaction.atomic
def save_part(instance: models.Model, *, by, reason: str = "") -> models.Model:
    """Create or update an edition or one of its parts, recording before → after."""
    fields = _editable_fields(instance)
    model = type(instance)
    before = None
    if instance.pk is not None:
        before = snapshot(model.objects.select_for_update().get(pk=instance.pk), fields)
    created = instance.pk is None
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This conflicts with data already saved: %(error)s") % {"error": exc}
        ) from None
    verb = "created" if created else "changed"
    after = snapshot(instance, fields)
    record(
        by,
        f"contests.{model._meta.model_name}_{verb}",
        instance,
        before=before,
        after=after,
        reason=reason,
    )
    return instance


@transaction.atomic
def save_edition(edition: Edition, *, by) -> Edition:
    """Save an edition; marking it current unmarks the edition that was."""
    if edition.is_current:
        for other in Edition.objects.filter(is_current=True).exclude(pk=edition.pk):
            other.is_current = False
            save_part(other, by=by, reason="another edition became current")
    return save_part(edition, by=by)


@transaction.atomic
def create_edition(edition, *, by) -> Edition:
    """A new edition; its creator becomes its first organiser."""
    from smartdialog.accounts.models import Role
    from smartdialog.accounts.services import grant_role

    save_edition(edition, by=by)
    if getattr(by, "is_authenticated", False):
        grant_role(edition, by, Role.ORGANISER, by=by, reason="creator of the edition")
    return edition


def _blockers(error: ProtectedError | RestrictedError) -> str:
    objs = (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    names = sorted({str(o._meta.verbose_name_plural) for o in objs})
    return ", ".join(names)


@transaction.atomic
def delete_part(instance: models.Model, *, by, reason: str = "") -> None:
    """Delete a part with nothing under it; otherwise say what holds it."""
    fields = _editable_fields(instance)
    before = snapshot(instance, fields)
    edition = instance.audit_edition
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _("«%(object)s» cannot be deleted: it still has %(blockers)s.")
            % {"object": instance, "blockers": _blockers(exc)}
        ) from None
    record(
        by,
        f"contests.{type(instance)._meta.model_name}_deleted",
        None,
        before=before,
        reason=reason,
        edition=edition,
    )


def stage_overlaps(stage: Stage, starts_at, ends_at) -> Stage | None:
    """Another stage of the same kind in the same edition whose dates cross these."""
    return (
        Stage.objects.filter(
            edition_id=stage.edition_id,
            kind=stage.kind,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=stage.pk)
        .first()
    )


def validate_stage(stage: Stage, starts_at, ends_at) -> None:
    errors = validate_stage_dates(starts_at, ends_at, stage.edition.year)
    if not errors and (other := stage_overlaps(stage, starts_at, ends_at)):
        errors["starts_at"] = _(
            "These dates overlap another stage of the same kind: «%(stage)s»."
        ) % {"stage": other}
    raise_if(errors)


@transaction.atomic
def create_stage(stage: Stage, *, by, reason: str = "") -> Stage:
    validate_stage(stage, stage.starts_at, stage.ends_at)
    stage.planned_starts_at = stage.starts_at
    stage.planned_ends_at = stage.ends_at
    return save_part(stage, by=by, reason=reason)


@transaction.atomic
def move_stage(
    stage: Stage, *, starts_at, ends_at, by, reason: str, reason_en: str = ""
) -> StageDateChange:
    """Move a stage's dates. The old and new dates, who and why are kept for its history."""
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say why the dates move: the reason is shown in the edition's history.")}
        )
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if (starts_at, ends_at) == (stage.starts_at, stage.ends_at):
        raise ValidationError(_("The new dates are the same as the current ones."))
    validate_stage(stage, starts_at, ends_at)
    change = StageDateChange.objects.create(
        stage=stage,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
        old_starts_at=stage.starts_at,
        old_ends_at=stage.ends_at,
        new_starts_at=starts_at,
        new_ends_at=ends_at,
        reason=reason.strip(),
        reason_en=reason_en,
    )
    before = snapshot(stage, ["starts_at", "ends_at"])
    stage.starts_at, stage.ends_at = starts_at, ends_at
    try:
        with transaction.atomic():
            stage.save(update_fields=["starts_at", "ends_at"])
    except IntegrityError:
        raise ValidationError(
            {"starts_at": _("These dates overlap another stage of the same kind.")}
        ) from None
    record(
        by,
        "contests.stage_moved",
        stage,
        before=before,
        after=snapshot(stage, ["starts_at", "ends_at"]),
        reason=reason,
    )
    return change
