"""Granting and revoking roles; each change is audited in its own transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record

from .models import Role, RoleAssignment


@transaction.atomic
def grant_role(edition, user, role: str, *, by, region=None, reason="") -> RoleAssignment:
    if role == Role.REGIONAL_OFFICIAL and region is None:
        raise ValidationError({"region": _("A regional official needs a region.")})
    if role != Role.REGIONAL_OFFICIAL:
        region = None
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user, edition=edition, role=role, region=region, granted_by=by
            )
    except IntegrityError:
        raise ValidationError(
            {
                "role": _("%(email)s already holds this role in this edition.")
                % {"email": user.email}
            }
        ) from None
    record(
        by,
        "accounts.role_granted",
        assignment,
        after={"user": user.email, "role": role, "region": str(region) if region else None},
        reason=reason,
    )
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, by, reason="") -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is not None:
        raise ValidationError(_("This role has already been revoked."))
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    record(
        by,
        "accounts.role_revoked",
        assignment,
        before={"user": assignment.user.email, "role": assignment.role, "active": True},
        after={"user": assignment.user.email, "role": assignment.role, "active": False},
        reason=reason,
    )
    return assignment
