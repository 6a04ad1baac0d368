"""Reference data: federal subjects, applicant kinds, national projects.

Loaded from the CSV files in `data/` (sources in data/SOURCES.md) by a migration and by
`manage.py load_reference`; rows are keyed by `code`, so reloading is idempotent.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartdialog.core.i18n import Localized


class FederalDistrict(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    display_name = Localized("name")

    class Meta:
        ordering = ["order"]
        verbose_name = _("federal district")
        verbose_name_plural = _("federal districts")

    def __str__(self):
        return self.display_name


class Region(models.Model):
    """A federal subject of the Russian Federation (89 since October 2022)."""

    class Kind(models.TextChoices):
        REPUBLIC = "republic", _("republic")
        KRAI = "krai", _("krai")
        OBLAST = "oblast", _("oblast")
        FEDERAL_CITY = "federal_city", _("federal city")
        AUTONOMOUS_OBLAST = "autonomous_oblast", _("autonomous oblast")
        AUTONOMOUS_OKRUG = "autonomous_okrug", _("autonomous okrug")

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("FTS code"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    federal_district = models.ForeignKey(
        FederalDistrict, on_delete=models.PROTECT, related_name="regions"
    )
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    display_name = Localized("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.display_name


class ApplicantKind(models.Model):
    """Who may apply (seed 001): three kinds, each with sub-kinds."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    display_name = Localized("name")

    class Meta:
        ordering = ["order"]
        verbose_name = _("applicant kind")
        verbose_name_plural = _("applicant kinds")

    def __str__(self):
        return self.display_name


class NationalProject(models.Model):
    class Program(models.TextChoices):
        P2019_2024 = "2019_2024", _("2019–2024")
        P2025_2030 = "2025_2030", _("from 2025")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    program = models.CharField(_("program"), max_length=10, choices=Program.choices)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))

    display_name = Localized("name")

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("national project")
        verbose_name_plural = _("national projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="national_project_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.display_name} ({self.period_start}–{self.period_end})"
