import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from smartdialog.organizations.validators import (
    inn_ogrn_mismatch,
    validate_inn,
    validate_ogrn,
    validate_phone,
)

SBERBANK_INN, SBERBANK_OGRN = "7707083893", "1027700132195"
PERSON_INN = "500100732259"
# OGRNIP: 3 (entrepreneur) + 04 (year 2004) + 77 (Moscow) + 000000001 (record), then the
# check digit 30477000000001 % 13 % 10 = 9.
OGRNIP = "304770000000019"


def _message(validator, value) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.messages[0]


@pytest.mark.parametrize("inn", [SBERBANK_INN, "7736050003", PERSON_INN])
def test_validate_inn_accepts_real_numbers(inn):
    assert validate_inn(inn) is None


@pytest.mark.parametrize("ogrn", [SBERBANK_OGRN, "1027700070518", OGRNIP])
def test_validate_ogrn_accepts_real_numbers(ogrn):
    assert validate_ogrn(ogrn) is None


def test_ogrnip_check_digit_is_computed_as_stated():
    assert int(OGRNIP[:14]) % 13 % 10 == int(OGRNIP[14])


@pytest.mark.parametrize("inn", ["7707083894", "500100732258", "500100732269"])
def test_validate_inn_refuses_a_wrong_check_digit(inn):
    assert _message(validate_inn, inn) == "The INN check digit does not match: check the number."


@pytest.mark.parametrize("inn", ["770708389", "77070838931", "7707083893123"])
def test_validate_inn_refuses_a_wrong_length(inn):
    assert _message(validate_inn, inn) == (
        "INN must have 10 digits (organisation) or 12 digits (individual entrepreneur)."
    )


@pytest.mark.parametrize("inn", ["77070838AB", "7707 083893", "", "７７０７０８３８９３"])
def test_validate_inn_refuses_anything_but_ascii_digits(inn):
    assert _message(validate_inn, inn) == (
        "INN must contain digits only: remove letters, spaces and other signs."
    )


@pytest.mark.parametrize("ogrn", ["1027700132194", "304770000000018"])
def test_validate_ogrn_refuses_a_wrong_check_digit(ogrn):
    assert _message(validate_ogrn, ogrn) == (
        "The OGRN check digit does not match: check the number."
    )


@pytest.mark.parametrize("ogrn", ["102770013219", "10277001321950", "3047700000000190"])
def test_validate_ogrn_refuses_a_wrong_length(ogrn):
    assert _message(validate_ogrn, ogrn) == (
        "OGRN must have 13 digits (organisation); OGRNIP has 15 digits (individual entrepreneur)."
    )


def test_validate_ogrn_refuses_letters():
    assert _message(validate_ogrn, "10277001321O5") == (
        "OGRN must contain digits only: remove letters, spaces and other signs."
    )


def test_inn_ogrn_mismatch_pairs_ten_with_thirteen_and_twelve_with_fifteen():
    with translation.override("en"):
        assert inn_ogrn_mismatch(SBERBANK_INN, SBERBANK_OGRN) is None
        assert inn_ogrn_mismatch(PERSON_INN, OGRNIP) is None
        assert inn_ogrn_mismatch(SBERBANK_INN, OGRNIP) == (
            "An organisation with a 10-digit INN has a 13-digit OGRN: "
            "enter the OGRN, not an OGRNIP."
        )
        assert inn_ogrn_mismatch(PERSON_INN, SBERBANK_OGRN) == (
            "An individual entrepreneur with a 12-digit INN has a 15-digit OGRNIP: "
            "enter the OGRNIP."
        )


def test_inn_ogrn_mismatch_ignores_numbers_already_refused_on_their_own():
    assert inn_ogrn_mismatch("abc", OGRNIP) is None


@pytest.mark.parametrize("phone", ["+7 495 123-45-67", "8 (800) 555-35-35", "84951234567"])
def test_validate_phone_accepts_common_spellings(phone):
    assert validate_phone(phone) is None


@pytest.mark.parametrize("phone", ["123", "+7 495 ABC-45-67", "+7 495 123 45 67 ext. 5"])
def test_validate_phone_refuses_short_or_lettered_numbers(phone):
    assert _message(validate_phone, phone) == (
        "Enter the phone number with its code, e.g. +7 495 123-45-67."
    )
