"""What evaluation produces: finalists per nomination and the working groups' decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ShortfallChoice


class Finalist(models.Model):
    """An application taken to the working group; `reason` is required when a lower-ranked
    application is taken over a higher-ranked one."""

    nomination = models.ForeignKey(
        "contests.Nomination", on_delete=models.PROTECT, related_name="finalists"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank when chosen"))
    score = models.FloatField(_("score when chosen"), null=True)
    reason = models.TextField(_("reason"), blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nomination", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "submission"], name="one_finalist_row")
        ]

    def __str__(self):
        return f"{self.nomination.code}: {self.submission_id}"

    @property
    def audit_edition(self):
        return self.nomination.edition


class NominationShortfall(models.Model):
    """Organisers' recorded choice for a nomination with fewer than three admitted."""

    nomination = models.OneToOneField(
        "contests.Nomination", on_delete=models.PROTECT, related_name="shortfall"
    )
    choice = models.CharField(_("decision"), max_length=16, choices=ShortfallChoice.choices)
    merged_into = models.ForeignKey(
        "contests.Nomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.nomination.code}: {self.choice}"

    @property
    def audit_edition(self):
        return self.nomination.edition


class WorkingGroup(models.Model):
    """АСИ, «Диалог Регионы», authorities and experts who pick one winner per nomination."""

    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="working_groups"
    )
    title = models.CharField(_("title"), max_length=200)
    direction = models.ForeignKey(
        "contests.Direction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("direction"),
    )
    nominations = models.ManyToManyField(
        "contests.Nomination", related_name="working_groups", verbose_name=_("nominations")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="working_groups", verbose_name=_("members")
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), help_text=_("members who must be present for a decision")
    )

    class Meta:
        ordering = ["edition", "title"]

    def __str__(self):
        return self.title

    @property
    def audit_edition(self):
        return self.edition


class Decision(models.Model):
    """A working group's meeting record and its winner for one nomination.

    Frozen once made (with its protocol PDF): a correction is a new decision that
    `supersedes` this one. Winners are public only after an organiser confirms.
    """

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="decisions"
    )
    nomination = models.ForeignKey(
        "contests.Nomination", on_delete=models.PROTECT, related_name="decisions"
    )
    held_on = models.DateField(_("meeting date"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("members present")
    )
    winner = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("winner"),
    )
    finalists = models.JSONField(_("finalists considered, with their scores"))
    preferences = models.JSONField(_("each member's preference"))
    dissent = models.TextField(_("dissenting opinions"), blank=True)
    protocol = models.FileField(upload_to="protocols/", blank=True)
    protocol_sha256 = models.CharField(max_length=64, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["nomination", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=models.Q(is_current=True),
                name="one_current_decision_per_nomination",
            )
        ]

    def __str__(self):
        return f"{self.nomination.code}: {self.winner_id}"

    @property
    def audit_edition(self):
        return self.nomination.edition
