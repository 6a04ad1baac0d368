"""Who may run the vote: organisers of the ballot's edition (and platform admins)."""

import rules

from smartdialog.contests.rules import is_organiser, is_platform_admin

rules.add_perm("voting.manage_ballot", is_platform_admin | is_organiser)
