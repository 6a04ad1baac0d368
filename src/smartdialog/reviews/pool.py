"""The expert pool of an edition and the organisers' settings and adjustments; all audited.

Organisers invite existing users as experts, edit their profiles and withdraw an assignment
by hand; an expert accepts or declines their own invitation through `respond`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.accounts.services import grant_role
from smartdialog.audit.services import record, snapshot
from smartdialog.notifications.services import enqueue

from .enums import ExpertStatus, ReviewState
from .models import Expert, Review, ReviewAssignment, ReviewSettings
from .services import settings_for

SETTINGS_FIELDS = [
    "evaluations_per_application",
    "exclude_own_region",
    "normalise",
    "disagreement_threshold",
]
PROFILE_FIELDS = ["capacity", "region", "organization_inn", "expertise"]
PROFILE_SETS = ["nominations", "declared_organizations", "declared_regions"]


@transaction.atomic
def save_settings(edition, *, by, **values) -> ReviewSettings:
    """Change K, the own-region switch, normalisation or the disagreement threshold."""
    config = ReviewSettings.objects.select_for_update().get(pk=settings_for(edition).pk)
    before = snapshot(config, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(config, name, values[name])
    config.full_clean()
    config.save()
    after = snapshot(config, SETTINGS_FIELDS)
    if after != before:
        record(by, "reviews.settings_changed", config, before=before, after=after)
    return config


def _profile(expert: Expert) -> dict:
    data = snapshot(expert, PROFILE_FIELDS)
    for name in PROFILE_SETS:
        data[name] = sorted(str(item) for item in getattr(expert, name).all())
    return data


def _apply_profile(expert: Expert, profile: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in profile:
            setattr(expert, name, profile[name])
    expert.save()
    for name in PROFILE_SETS:
        if name in profile:
            getattr(expert, name).set(profile[name])


@transaction.atomic
def invite(edition, email: str, *, by, **profile) -> Expert:
    """Make an existing user an expert of the edition (status «invited»).

    Also grants the «expert» role when the user lacks it and mails the invitation.
    """
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "There is no user with the e-mail %(email)s: ask them to sign up first, "
                    "then invite them."
                )
                % {"email": email.strip()}
            }
        )
    if Expert.objects.filter(edition=edition, user=user).exists():
        raise ValidationError(
            {"email": _("%(email)s is already in the expert pool.") % {"email": user.email}}
        )
    if not profile.get("nominations"):
        raise ValidationError({"nominations": _("Choose at least one nomination.")})
    expert = Expert(edition=edition, user=user, invited_by=by)
    _apply_profile(expert, profile)
    if not has_role(user, edition, Role.EXPERT):
        grant_role(edition, user, Role.EXPERT, by=by, reason=_("invited to the expert pool"))
    record(by, "reviews.expert_invited", expert, after=_profile(expert))
    enqueue(
        "reviews.expert_invited",
        user.email,
        {
            "edition": str(edition),
            "nominations": ", ".join(n.code for n in expert.nominations.order_by("order")),
            "invited_by": str(by),
            "url": settings.SITE_URL.rstrip("/") + reverse("expert:home"),
        },
        related=expert,
    )
    return expert


@transaction.atomic
def update_expert(expert: Expert, *, by, **profile) -> Expert:
    """An organiser edits the profile; assignments already made stay as they are."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    before = _profile(expert)
    _apply_profile(expert, profile)
    after = _profile(expert)
    if after != before:
        record(by, "reviews.expert_changed", expert, before=before, after=after)
    return expert


@transaction.atomic
def respond(expert: Expert, accept: bool, *, by) -> Expert:
    """The expert's own answer to the invitation; only they may give it, once."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.user_id != by.pk:
        raise PermissionDenied
    if expert.status != ExpertStatus.INVITED:
        raise ValidationError(
            _("You have already answered this invitation: %(status)s.")
            % {"status": expert.get_status_display()}
        )
    expert.status = ExpertStatus.ACCEPTED if accept else ExpertStatus.DECLINED
    expert.responded_at = timezone.now()
    expert.save(update_fields=["status", "responded_at"])
    record(by, f"reviews.expert_{expert.status}", expert, after={"status": expert.status})
    return expert


@transaction.atomic
def withdraw_assignment(assignment: ReviewAssignment, *, by, reason: str) -> ReviewAssignment:
    """An organiser takes an application back from an expert; a submitted review stays."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("expert__user", "expert__edition", "submission__edition")
        .get(pk=assignment.pk)
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the assignment is withdrawn.")})
    if assignment.withdrawn_at is not None:
        raise ValidationError(_("This assignment has already been withdrawn."))
    if Review.objects.filter(assignment=assignment, state=ReviewState.SUBMITTED).exists():
        raise ValidationError(
            _("%(expert)s has already submitted the review: it cannot be withdrawn.")
            % {"expert": assignment.expert}
        )
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = reason.strip()
    assignment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    record(
        by,
        "reviews.assignment_withdrawn",
        assignment,
        before={"expert": assignment.expert.user.email, "submission": assignment.submission.number},
        reason=reason.strip(),
    )
    return assignment


def pool_of(edition):
    """Experts with their load (active assignments), for the organisers' list."""
    return (
        Expert.objects.filter(edition=edition)
        .select_related("user", "region")
        .prefetch_related("nominations")
        .annotate(load=Count("assignments", filter=Q(assignments__withdrawn_at__isnull=True)))
    )
