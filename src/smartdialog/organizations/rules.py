"""Who may see and change an organisation; views ask `user.has_perm(name, organization)`."""

import rules

from . import selectors

is_platform_admin = rules.is_superuser


@rules.predicate
def is_member(user, organization):
    return selectors.is_member(user, organization)


# Reading an organisation. The submissions app widens it to staff of an edition that holds
# one of its applications by replacing the permission from its own rules.py; importing
# `can_view_organization` from here makes sure this module has run first:
#     rules.set_perm(
#         "organizations.view_organization", can_view_organization | handles_its_application
#     )
can_view_organization = is_platform_admin | is_member

rules.add_perm("organizations.view_organization", can_view_organization)
rules.add_perm("organizations.change_organization", is_platform_admin | is_member)
rules.add_perm("organizations.invite_member", is_platform_admin | is_member)
