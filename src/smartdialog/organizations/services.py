"""Every change to organisations and their members goes through here, validated and audited.

Organisations belong to no edition, so their audit entries have `edition=None`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.audit.services import record, snapshot
from smartdialog.notifications.services import enqueue

from .models import Invitation, Membership, Organization
from .selectors import invitation_problem

INVITATION_LIFETIME = datetime.timedelta(days=14)
PROFILE_FIELDS = [
    "full_name",
    "short_name",
    "kind",
    "region",
    "municipality",
    "inn",
    "ogrn",
    "address",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
]


def _duplicate_inn(inn: str, exclude_pk=None) -> ValidationError | None:
    existing = Organization.objects.filter(inn=inn).exclude(pk=exclude_pk).first()
    if existing is None:
        return None
    return ValidationError(
        {
            "inn": _(
                "The organisation «%(name)s» with this INN is already registered: "
                "ask one of its members to invite you."
            )
            % {"name": existing.short_name}
        }
    )


def _save_profile(organization: Organization) -> None:
    """Validate and save; the unique index on INN settles a race the pre-check cannot."""
    organization.full_clean(validate_unique=False)
    if error := _duplicate_inn(organization.inn, organization.pk):
        raise error
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        raise _duplicate_inn(organization.inn, organization.pk) or ValidationError(
            _("The organisation could not be saved: please try again.")
        ) from None


@transaction.atomic
def register_organization(organization: Organization, *, by) -> Organization:
    """A new organisation; whoever registers it becomes its first member."""
    organization.created_by = by
    _save_profile(organization)
    Membership.objects.create(organization=organization, user=by)
    record(
        by,
        "organizations.registered",
        organization,
        after=snapshot(organization, PROFILE_FIELDS),
        edition=None,
    )
    return organization


@transaction.atomic
def update_organization(organization: Organization, *, by) -> Organization:
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(stored, PROFILE_FIELDS)
    _save_profile(organization)
    record(
        by,
        "organizations.changed",
        organization,
        before=before,
        after=snapshot(organization, PROFILE_FIELDS),
        edition=None,
    )
    return organization


def join_url(invitation: Invitation) -> str:
    """Absolute, because it goes out by e-mail; SITE_URL is the public address."""
    path = reverse("organizations:join", kwargs={"token": invitation.token})
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def invite(organization: Organization, email: str, *, by) -> Invitation:
    """Invite someone by e-mail; the link lets them join once logged in with that address."""
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of «%(organization)s».")
                % {"email": email, "organization": organization}
            }
        )
    now = timezone.now()
    pending = organization.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    )
    if pending.exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s has already been invited and the invitation is still valid: "
                    "ask them to check their mail."
                )
                % {"email": email}
            }
        )
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    enqueue(
        "organization.invitation",
        email,
        {
            "organization": organization.short_name,
            "invited_by": by.get_full_name() or by.email,
            "url": join_url(invitation),
        },
        related=invitation,
    )
    record(
        by,
        "organizations.member_invited",
        organization,
        after={"email": email, "expires_at": invitation.expires_at},
        edition=None,
    )
    return invitation


@transaction.atomic
def accept_invitation(token: str, *, user) -> Membership:
    """Join by invitation. The row lock makes a double click create one membership, not two."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid: ask for a new invitation."))
    if problem := invitation_problem(invitation, user):
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(organization=invitation.organization, user=user)
    except IntegrityError:  # joined through another invitation at the same moment
        raise ValidationError(
            _("You are already a member of «%(organization)s».")
            % {"organization": invitation.organization}
        ) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        user,
        "organizations.member_joined",
        invitation.organization,
        after={"member": user.email, "invited_by": invitation.invited_by.email},
        edition=None,
    )
    return membership
