"""Applicant organisations: one per ИНН; users belong to them by invitation."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .validators import inn_ogrn_mismatch, validate_inn, validate_ogrn, validate_phone


class Organization(models.Model):
    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    kind = models.ForeignKey(
        "reference.ApplicantKind",
        on_delete=models.PROTECT,
        verbose_name=_("kind of organisation"),
        help_text=_("choose the most precise sub-kind"),
    )
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, verbose_name=_("region")
    )
    municipality = models.CharField(_("municipality"), max_length=300, blank=True)
    inn = models.CharField(_("INN"), max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, validators=[validate_ogrn])
    address = models.CharField(_("address"), max_length=500)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.short_name

    def clean(self):
        errors = {}
        if self.kind_id and self.kind.parent_id is None:
            errors["kind"] = gettext(
                "Choose a precise sub-kind of organisation, not the general group."
            )
        if mismatch := inn_ogrn_mismatch(self.inn, self.ogrn):
            errors["ogrn"] = mismatch
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A member invites someone by e-mail; the link lets them join after logging in."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organization}"
