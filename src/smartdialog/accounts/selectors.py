from .models import RoleAssignment


def active_roles(user, edition) -> set[str]:
    """The roles `user` holds now in `edition`."""
    if not getattr(user, "is_authenticated", False) or edition is None:
        return set()
    return set(
        RoleAssignment.objects.filter(
            user=user, edition=edition, revoked_at__isnull=True
        ).values_list("role", flat=True)
    )


def has_role(user, edition, role: str) -> bool:
    return role in active_roles(user, edition)


def editions_with_roles(user, roles):
    """Editions where `user` holds any of `roles` now (every edition for a superuser)."""
    from smartdialog.contests.models import Edition

    if user.is_superuser:
        return Edition.objects.all()
    return Edition.objects.filter(
        role_assignments__user=user,
        role_assignments__role__in=list(roles),
        role_assignments__revoked_at__isnull=True,
    ).distinct()


def editions_organised_by(user):
    return editions_with_roles(user, ["organiser"])


def staff_editions(user):
    """Editions whose back office `user` works in: as organiser or moderator."""
    return editions_with_roles(user, ["organiser", "moderator"])


def users_with_roles(edition, roles):
    """Users holding any of `roles` in `edition` now."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            role_assignments__edition=edition,
            role_assignments__role__in=list(roles),
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("email")
    )
