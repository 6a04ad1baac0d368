"""An expert sees and scores only their own active assignments; organisers manage."""

import rules

from smartdialog.contests.rules import is_organiser, is_platform_admin

from .enums import ExpertStatus


@rules.predicate
def is_assigned_expert(user, assignment):
    expert = assignment.expert
    return (
        user.is_authenticated
        and expert.user_id == user.pk
        and expert.status == ExpertStatus.ACCEPTED
        and assignment.withdrawn_at is None
    )


rules.add_perm("reviews.score_reviewassignment", is_assigned_expert)
rules.add_perm("reviews.manage_reviews", is_platform_admin | is_organiser)


@rules.predicate
def is_group_member(user, group):
    return user.is_authenticated and group.members.filter(pk=user.pk).exists()


rules.add_perm("reviews.view_workinggroup", is_platform_admin | is_organiser | is_group_member)
rules.add_perm("reviews.record_decision", is_platform_admin | is_organiser | is_group_member)
rules.add_perm("reviews.confirm_decision", is_platform_admin | is_organiser)
