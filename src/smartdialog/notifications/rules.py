"""Who may read the outbox and edit an edition's mail templates."""

import rules

from smartdialog.contests.rules import is_organiser, is_platform_admin

rules.add_perm("notifications.manage_mail", is_platform_admin | is_organiser)
