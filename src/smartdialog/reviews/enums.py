from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class AssignmentSource(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic")
    MANUAL = "manual", _("by hand")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class ConflictReason(models.TextChoices):
    OWN_ORGANIZATION = "own_organization", _("the expert's own organisation")
    DECLARED_ORGANIZATION = "declared_organization", _("an organisation the expert declared")
    DECLARED_REGION = "declared_region", _("a region the expert declared")
    OWN_REGION = "own_region", _("the expert's own region")
    DECLARED_ON_APPLICATION = "declared_on_application", _("declared on this application")


class ShortfallChoice(models.TextChoices):
    """What organisers decide for a nomination with fewer than three admitted applications."""

    EXTEND_INTAKE = "extend_intake", _("extend intake for this nomination")
    MERGE = "merge", _("merge with another nomination")
    NO_WINNER = "no_winner", _("declare the nomination without a winner")


MIN_FINALISTS = 3
