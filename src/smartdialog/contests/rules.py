"""Who may do what with contest setup; views ask `user.has_perm(name, edition_or_part)`."""

import rules

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import editions_organised_by, has_role


def edition_of(obj):
    return getattr(obj, "audit_edition", None)


@rules.predicate
def is_organiser(user, obj):
    return has_role(user, edition_of(obj), Role.ORGANISER)


@rules.predicate
def organises_some_edition(user):
    return user.is_authenticated and editions_organised_by(user).exists()


is_platform_admin = rules.is_superuser

rules.add_perm("contests.manage_edition", is_platform_admin | is_organiser)
rules.add_perm("contests.create_edition", is_platform_admin | organises_some_edition)
rules.add_perm("accounts.manage_roles", is_platform_admin | is_organiser)
rules.add_perm("audit.view_log", is_platform_admin | is_organiser)
