"""The practice passport (the application) as the applicant edits it now.

Each submission freezes a `SubmissionVersion`; the state changes only through
`services.set_state`. `lock_version` guards against two members overwriting each other.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ImplementationStatus, SubmissionState


class Submission(models.Model):
    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="submissions"
    )
    nomination = models.ForeignKey(
        "contests.Nomination",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("nomination"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        db_index=True,
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    deadline_override = models.DateTimeField(
        _("individual deadline"),
        null=True,
        blank=True,
        help_text=_("extends the intake deadline for this application only"),
    )
    reminded_for = models.DateTimeField(
        null=True, blank=True, help_text="the deadline a reminder was last sent for"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )

    # The passport.
    title = models.CharField(_("title of the practice"), max_length=300)
    problem = models.TextField(_("problem it solves"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    implementation = models.TextField(_("how it was implemented"), blank=True)
    implementation_status = models.CharField(
        _("implementation status"),
        max_length=16,
        choices=ImplementationStatus.choices,
        blank=True,
    )
    started_on = models.DateField(_("implementation started"), null=True, blank=True)
    finished_on = models.DateField(_("implementation finished"), null=True, blank=True)
    regions = models.ManyToManyField(
        "reference.Region", blank=True, related_name="+", verbose_name=_("regions covered")
    )
    municipalities = models.TextField(_("municipalities covered"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    reach = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    resources = models.TextField(_("resources used"), blank=True)
    cost = models.DecimalField(
        _("cost, roubles"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    team = models.TextField(_("team"), blank=True)
    national_projects = models.ManyToManyField(
        "reference.NationalProject",
        blank=True,
        related_name="+",
        verbose_name=_("national projects served"),
    )
    replication_potential = models.TextField(_("replication potential"), blank=True)
    replication_conditions = models.TextField(_("conditions for replication"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("one address per line"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["edition", "state"], name="submission_edition_state"),
            models.Index(fields=["edition", "state_changed_at"], name="submission_waiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(finished_on__gte=models.F("started_on")),
                name="submission_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.number} «{self.title}»"

    @property
    def number(self) -> str:
        return f"SD-{self.edition.year}-{self.pk:05d}" if self.pk else "SD-new"

    @property
    def audit_edition(self):
        return self.edition


class ResultIndicator(models.Model):
    """A measurable result: baseline and achieved value of one indicator."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    achieved_value = models.DecimalField(_("achieved value"), max_digits=16, decimal_places=2)
    achieved_date = models.DateField(_("achieved date"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("measurable result")
        verbose_name_plural = _("measurable results")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(achieved_date__gte=models.F("baseline_date")),
                name="result_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.baseline_value} → {self.achieved_value} {self.unit}"


class DraftConflict(models.Model):
    """A save that lost the race to another member's save: kept so no text is lost."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    based_on_version = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.submission_id}: conflict on v{self.based_on_version}"
