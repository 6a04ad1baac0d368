"""Read-only queries about organisations and who belongs to them."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organization


def organizations_of(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).select_related("kind", "region")


def is_member(user, organization) -> bool:
    if not user.is_authenticated or organization is None:
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def members_of(organization):
    return organization.memberships.select_related("user").order_by("joined_at")


def pending_invitations(organization):
    return organization.invitations.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_problem(invitation: Invitation, user) -> str | None:
    """Why `user` cannot accept `invitation`, in words they can act on; None when they can."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been used: open the organisation from your list.")
    if invitation.expires_at <= timezone.now():
        return _(
            "This invitation expired on %(date)s: ask a member of «%(organization)s» "
            "to invite you again."
        ) % {
            "date": date_format(timezone.localtime(invitation.expires_at), "j E Y"),
            "organization": invitation.organization,
        }
    if invitation.email.casefold() != user.email.casefold():
        return _(
            "This invitation was sent to %(email)s, but you are logged in as %(user)s: "
            "log in with the invited address."
        ) % {"email": invitation.email, "user": user.email}
    if is_member(user, invitation.organization):
        return _("You are already a member of «%(organization)s».") % {
            "organization": invitation.organization
        }
    return None
