from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_MODERATION = "in_moderation", _("in moderation")
    RETURNED = "returned", _("returned for revision")
    RESUBMITTED = "resubmitted", _("resubmitted")
    ADMITTED = "admitted", _("admitted to expert evaluation")
    REJECTED = "rejected", _("rejected as ineligible")
    WITHDRAWN = "withdrawn", _("withdrawn")


S = SubmissionState

# The whole lifecycle: `services.set_state` refuses anything not listed here.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_MODERATION, S.WITHDRAWN}),
    S.IN_MODERATION: frozenset({S.RETURNED, S.ADMITTED, S.REJECTED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.RESUBMITTED, S.WITHDRAWN}),
    S.RESUBMITTED: frozenset({S.IN_MODERATION, S.WITHDRAWN}),
    S.ADMITTED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# States in which the applicant edits the passport.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# States that freeze a new version of the passport when entered.
FREEZING_STATES = frozenset({S.SUBMITTED, S.RESUBMITTED})
# Transitions the applicant makes; all others are the moderators'.
APPLICANT_STATES = frozenset({S.SUBMITTED, S.RESUBMITTED, S.WITHDRAWN})
# Moderators' queue: what waits for them.
AWAITING_MODERATION = frozenset({S.SUBMITTED, S.RESUBMITTED, S.IN_MODERATION})
# Mail key per state entered.
NOTICE_KEYS = {state: f"submission.{state}" for state in S.values if state != S.DRAFT}


class ImplementationStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("implemented")
    IN_PROGRESS = "in_progress", _("being implemented")


class ChecklistItem(models.TextChoices):
    """The eligibility checklist a moderator records with every decision."""

    APPLICANT_KIND = "applicant_kind", _("The applicant is of an allowed kind")
    IMPLEMENTED = "implemented", _("The practice has been implemented")
    MEASURABLE = "measurable", _("The results are measurable")
    FITS_NOMINATION = "fits_nomination", _("The practice fits the nomination")
