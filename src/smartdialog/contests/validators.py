"""Rules on contest data shared by model.clean, forms and services; messages name the fix."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

NOMINATION_CODE = re.compile(r"^\d{1,2}\.\d{1,2}$")


def validate_nomination_code(code: str) -> None:
    if not NOMINATION_CODE.match(code or ""):
        raise ValidationError(
            _("Nomination code must look like «1.1»: direction number, a dot, a number."),
            code="nomination_code",
        )


def edition_date_range(year: int) -> tuple[int, int]:
    """Stages may run from 1 January of the edition's year to the end of the next year
    (replication outlives the calendar year)."""
    return year, year + 1


def validate_stage_dates(starts_at, ends_at, year: int) -> dict[str, str]:
    """Errors keyed by field; empty when the dates fit the edition."""
    errors = {}
    first, last = edition_date_range(year)
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None:
            continue
        local_year = timezone.localtime(value).year
        if not first <= local_year <= last:
            errors[field] = _(
                "The date %(date)s is outside the edition's years %(first)s–%(last)s."
            ) % {
                "date": date_format(timezone.localtime(value), "j E Y"),
                "first": first,
                "last": last,
            }
    if starts_at and ends_at and ends_at <= starts_at and "ends_at" not in errors:
        errors["ends_at"] = _("The end must be later than the start.")
    return errors


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
