import pytest
from django.core.exceptions import ValidationError

from smartdialog.contests.validators import validate_nomination_code, validate_stage_dates
from tests.factories import moscow


@pytest.mark.parametrize("code", ["1.1", "3.4", "12.10"])
def test_nomination_code_accepts_direction_dot_number(code):
    validate_nomination_code(code)


@pytest.mark.parametrize("code", ["", "1", "1.", "A.1", "1.1.1", " 1.1"])
def test_nomination_code_refuses_other_shapes(code):
    with pytest.raises(ValidationError) as error:
        validate_nomination_code(code)
    assert "«1.1»" in error.value.messages[0]


def test_stage_dates_within_the_edition_years_pass():
    assert validate_stage_dates(moscow(2023, 4, 17), moscow(2024, 3, 1), 2023) == {}


def test_stage_end_before_start_is_refused_on_the_end_field():
    errors = validate_stage_dates(moscow(2023, 6, 30), moscow(2023, 6, 18), 2023)
    assert errors == {"ends_at": "Окончание должно быть позже начала."}


def test_stage_date_outside_edition_years_names_the_years():
    errors = validate_stage_dates(moscow(2022, 12, 31), moscow(2023, 1, 10), 2023)
    assert list(errors) == ["starts_at"]
    assert "2023–2024" in errors["starts_at"]
    assert "31 декабря 2022" in errors["starts_at"]
