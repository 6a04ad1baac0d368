"""Contest setup: an edition, its directions and nominations, criteria and stage schedule.

Foreign keys into these tables use PROTECT, so nothing with submissions, reviews or votes
under it can be deleted; `services.delete_item` turns that refusal into a message.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartdialog.core.i18n import Localized, is_english

from .enums import STAGE_ORDER, EditionStatus, StageKind


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    organisers = models.TextField(_("organisers"))
    organisers_en = models.TextField(_("organisers (English)"), blank=True)
    summary = models.TextField(_("about the contest"), blank=True)
    summary_en = models.TextField(_("about the contest (English)"), blank=True)
    eligibility = models.TextField(_("who may apply"), blank=True, help_text=_("one per line"))
    eligibility_en = models.TextField(_("who may apply (English)"), blank=True)
    rewards = models.TextField(_("what winners get"), blank=True, help_text=_("one per line"))
    rewards_en = models.TextField(_("what winners get (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    is_current = models.BooleanField(
        _("current edition"),
        default=False,
        help_text=_("shown on the home page; only one edition is current"),
    )

    display_title = Localized("title")
    display_organisers = Localized("organisers")
    display_summary = Localized("summary")
    display_eligibility = Localized("eligibility")
    display_rewards = Localized("rewards")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000) & models.Q(year__lte=2100),
                name="edition_year_plausible",
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_edition",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def audit_edition(self):
        return self

    @property
    def eligibility_items(self) -> list[str]:
        return [line.strip() for line in self.display_eligibility.splitlines() if line.strip()]

    @property
    def reward_items(self) -> list[str]:
        return [line.strip() for line in self.display_rewards.splitlines() if line.strip()]


class EditionPart(models.Model):
    """Something that belongs to one edition; its audit entries are filed under it."""

    class Meta:
        abstract = True

    @property
    def audit_edition(self):
        return self.edition


class Direction(EditionPart):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    display_title = Localized("title")
    display_description = Localized("description")

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="direction_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.display_title}"


class Nomination(EditionPart):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="nominations")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, related_name="nominations")
    code = models.CharField(_("code"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    display_title = Localized("title")
    display_description = Localized("description")

    class Meta:
        ordering = ["edition", "order", "code"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="nomination_code_unique")
        ]

    def __str__(self):
        return f"{self.code}. {self.display_title}"

    @staticmethod
    def order_for(code: str) -> int:
        """Sort key so that «1.10» comes after «1.9»."""
        major, _sep, minor = code.partition(".")
        return int(major) * 100 + int(minor or 0) if major.isdigit() and minor.isdigit() else 0


class Criterion(EditionPart):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    display_name = Localized("name")
    display_description = Localized("description")

    class Meta:
        ordering = ["edition", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_ordered",
            ),
        ]

    def __str__(self):
        return self.display_name


class StageQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gte=now)


class Stage(EditionPart):
    """A stage with its planned dates (as announced) and current dates (as moved since)."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        CURRENT = "current", _("under way")
        FINISHED = "finished", _("finished")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="stages")
    kind = models.CharField(_("kind"), max_length=16, choices=StageKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    planned_starts_at = models.DateTimeField(_("planned start"))
    planned_ends_at = models.DateTimeField(_("planned end"))

    display_description = Localized("description")

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "starts_at", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="stage_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_ends_at__gt=models.F("planned_starts_at")),
                name="stage_planned_end_after_start",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        custom = self.title_en if is_english() else self.title
        return custom or str(self.get_kind_display())

    @property
    def number(self) -> int:
        return STAGE_ORDER[self.kind] + 1

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return self.Status.UPCOMING
        if now > self.ends_at:
            return self.Status.FINISHED
        return self.Status.CURRENT

    @property
    def was_moved(self) -> bool:
        return (self.starts_at, self.ends_at) != (self.planned_starts_at, self.planned_ends_at)


class StageDateChange(models.Model):
    """One move of a stage's dates: kept forever and shown on the edition's history."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="date_changes")
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    old_starts_at = models.DateTimeField(_("old start"))
    old_ends_at = models.DateTimeField(_("old end"))
    new_starts_at = models.DateTimeField(_("new start"))
    new_ends_at = models.DateTimeField(_("new end"))
    reason = models.TextField(_("reason"))
    reason_en = models.TextField(_("reason (English)"), blank=True)

    display_reason = Localized("reason")

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("stage date change")
        verbose_name_plural = _("stage date changes")

    def __str__(self):
        return f"{self.stage}: {self.old_ends_at:%Y-%m-%d} → {self.new_ends_at:%Y-%m-%d}"
