from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class StageKind(models.TextChoices):
    """The five stages of seed 001, in their order."""

    INTAKE = "intake", _("Intake and moderation")
    EVALUATION = "evaluation", _("Expert evaluation")
    VOTE = "vote", _("Public vote")
    RESULTS = "results", _("Results")
    REPLICATION = "replication", _("Replication launch")


STAGE_ORDER = {kind: index for index, kind in enumerate(StageKind.values)}
