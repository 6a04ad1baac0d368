"""Experts, their conflicts, assignments and reviews of one edition."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import AssignmentSource, ConflictReason, ExpertStatus, ReviewState


class ReviewSettings(models.Model):
    """How evaluation works in one edition; created with defaults when first needed."""

    edition = models.OneToOneField(
        "contests.Edition", on_delete=models.PROTECT, related_name="review_settings"
    )
    evaluations_per_application = models.PositiveSmallIntegerField(
        _("evaluations per application"), default=3
    )
    exclude_own_region = models.BooleanField(
        _("experts do not evaluate applications from their own region"), default=True
    )
    normalise = models.BooleanField(_("normalise each expert's scores (z-scores)"), default=False)
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold, points"), max_digits=5, decimal_places=2, default=2
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evaluations_per_application__gte=1),
                name="at_least_one_evaluation",
            )
        ]

    def __str__(self):
        return f"{self.edition}: K={self.evaluations_per_application}"

    @property
    def audit_edition(self):
        return self.edition


class Expert(models.Model):
    """A person invited to evaluate in one edition, with what is needed to assign fairly."""

    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="experts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.INVITED
    )
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
        related_name="+",
    )
    organization_inn = models.CharField(
        _("INN of the expert's organisation"), max_length=12, blank=True
    )
    expertise = models.TextField(
        _("areas of expertise"), blank=True, help_text=_("key words, one per line")
    )
    nominations = models.ManyToManyField(
        "contests.Nomination", related_name="experts", verbose_name=_("nominations")
    )
    capacity = models.PositiveSmallIntegerField(_("maximum number of applications"), default=20)
    declared_organizations = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("organisations the expert is connected with"),
    )
    declared_regions = models.ManyToManyField(
        "reference.Region",
        blank=True,
        related_name="+",
        verbose_name=_("regions the expert is connected with"),
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="one_expert_per_edition")
        ]

    def __str__(self):
        return str(self.user)

    @property
    def audit_edition(self):
        return self.edition

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(t.strip().lower() for t in self.expertise.splitlines() if t.strip())


class ReviewAssignment(models.Model):
    """An application given to an expert. Withdrawn (not deleted) on a conflict."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="review_assignments"
    )
    source = models.CharField(max_length=10, choices=AssignmentSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "expert"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "submission"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_assignment",
            )
        ]

    def __str__(self):
        return f"{self.expert} → {self.submission_id}"

    @property
    def audit_edition(self):
        return self.expert.edition


class Conflict(models.Model):
    """An expert must not evaluate this application; kept so it is never assigned again."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=32, choices=ConflictReason.choices)
    comment = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "submission"], name="one_conflict_row")
        ]

    def __str__(self):
        return f"{self.expert} × {self.submission_id}: {self.reason}"


class Review(models.Model):
    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.PROTECT, related_name="review"
    )
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"review of {self.assignment}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "contests.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
