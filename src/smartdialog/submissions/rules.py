"""Who may see and act on an application; `can_transition` is also checked by `set_state`."""

import rules

from smartdialog.accounts.models import Role
from smartdialog.accounts.selectors import has_role
from smartdialog.contests.rules import is_organiser, is_platform_admin
from smartdialog.organizations.selectors import is_member

from .enums import APPLICANT_STATES, EDITABLE_STATES


@rules.predicate
def is_applicant(user, submission):
    return user.is_authenticated and is_member(user, submission.organization)


@rules.predicate
def is_moderator(user, obj):
    return has_role(user, obj.audit_edition, Role.MODERATOR)


@rules.predicate
def is_editable(user, submission):
    return submission.state in EDITABLE_STATES


is_staff_of_edition = is_platform_admin | is_moderator | is_organiser

rules.add_perm("submissions.view_submission", is_applicant | is_staff_of_edition)
rules.add_perm("submissions.change_submission", is_applicant & is_editable)
rules.add_perm("submissions.moderate_submission", is_staff_of_edition)
rules.add_perm("submissions.manage_intake", is_platform_admin | is_organiser)


def can_transition(user, submission, new_state: str) -> bool:
    """The applicant submits, resubmits and withdraws; staff of the edition do the rest."""
    if new_state in APPLICANT_STATES:
        return is_applicant(user, submission)
    return user.has_perm("submissions.moderate_submission", submission)
