"""ИНН and ОГРН/ОГРНИП checks shared by the model, forms and services; messages name the fix.

Check digits follow the FNS algorithms, so a mistyped number is caught before it is saved.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
PHONE_SIGNS = set("0123456789+-() ")


def is_digits(value: str) -> bool:
    """ASCII digits only: str.isdigit() would also accept «²» or Arabic-Indic digits."""
    return bool(value) and value.isascii() and value.isdigit()


def inn_check_digit(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(w * int(d) for w, d in zip(weights, digits, strict=False)) % 11 % 10)


def validate_inn(value: str) -> None:
    if not is_digits(value):
        raise ValidationError(
            _("INN must contain digits only: remove letters, spaces and other signs."),
            code="inn_digits",
        )
    if len(value) not in (10, 12):
        raise ValidationError(
            _("INN must have 10 digits (organisation) or 12 digits (individual entrepreneur)."),
            code="inn_length",
        )
    if len(value) == 10:
        valid = value[9] == inn_check_digit(value, INN10_WEIGHTS)
    else:
        valid = value[10] == inn_check_digit(value, INN12_WEIGHTS_11) and value[
            11
        ] == inn_check_digit(value, INN12_WEIGHTS_12)
    if not valid:
        raise ValidationError(
            _("The INN check digit does not match: check the number."), code="inn_check"
        )


def validate_ogrn(value: str) -> None:
    """13 digits: OGRN of an organisation; 15 digits: OGRNIP of an individual entrepreneur."""
    if not is_digits(value):
        raise ValidationError(
            _("OGRN must contain digits only: remove letters, spaces and other signs."),
            code="ogrn_digits",
        )
    if len(value) not in (13, 15):
        raise ValidationError(
            _(
                "OGRN must have 13 digits (organisation); "
                "OGRNIP has 15 digits (individual entrepreneur)."
            ),
            code="ogrn_length",
        )
    modulus = 11 if len(value) == 13 else 13
    if int(value[-1]) != int(value[:-1]) % modulus % 10:
        raise ValidationError(
            _("The OGRN check digit does not match: check the number."), code="ogrn_check"
        )


def inn_ogrn_mismatch(inn: str, ogrn: str) -> str | None:
    """Why this INN and OGRN cannot belong to one applicant, or None.

    Only lengths are compared, and only once each number is well-formed on its own. The
    region in the INN's first two digits is not compared: organisations move.
    """
    if not (is_digits(inn) and is_digits(ogrn)):
        return None
    if len(inn) == 10 and len(ogrn) == 15:
        return _(
            "An organisation with a 10-digit INN has a 13-digit OGRN: "
            "enter the OGRN, not an OGRNIP."
        )
    if len(inn) == 12 and len(ogrn) == 13:
        return _(
            "An individual entrepreneur with a 12-digit INN has a 15-digit OGRNIP: "
            "enter the OGRNIP."
        )
    return None


def validate_phone(value: str) -> None:
    digits = sum(c.isdigit() for c in value)
    if not set(value) <= PHONE_SIGNS or not 10 <= digits <= 15:
        raise ValidationError(
            _("Enter the phone number with its code, e.g. +7 495 123-45-67."), code="phone"
        )
