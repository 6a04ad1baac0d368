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


def editions_organised_by(user):
    from smartdialog.contests.models import Edition

    if user.is_superuser:
        return Edition.objects.all()
    return Edition.objects.filter(
        role_assignments__user=user,
        role_assignments__role="organiser",
        role_assignments__revoked_at__isnull=True,
    ).distinct()


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
