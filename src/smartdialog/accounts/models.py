"""Users log in by e-mail; what they may do comes from roles held per edition."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email


class Role(models.TextChoices):
    ORGANISER = "organiser", _("organiser")
    MODERATOR = "moderator", _("moderator")
    EXPERT = "expert", _("expert")
    WORKING_GROUP = "working_group", _("working group member")
    APPLICANT = "applicant", _("applicant")
    REGIONAL_OFFICIAL = "regional_official", _("regional official")
    CITIZEN = "citizen", _("citizen")


class RoleAssignment(models.Model):
    """A role a user holds in one edition. Revoking keeps the row, so history stays readable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    edition = models.ForeignKey(
        "contests.Edition", on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("for a regional official: the region they act for"),
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "edition", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_role_per_user_edition",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="regional_official") | models.Q(region__isnull=False),
                name="regional_official_has_region",
            ),
        ]

    def __str__(self):
        return f"{self.user.email}: {self.get_role_display()} ({self.edition})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def audit_edition(self):
        return self.edition
