from collections import Counter

import pytest
from django.apps import apps

from smartdialog.reference.loader import load_reference
from smartdialog.reference.models import ApplicantKind, FederalDistrict, NationalProject, Region

pytestmark = pytest.mark.django_db


def test_all_89_federal_subjects_are_loaded_with_districts():
    assert Region.objects.count() == 89
    assert FederalDistrict.objects.count() == 8
    per_district = Counter(Region.objects.values_list("federal_district__code", flat=True))
    assert per_district == {
        "central": 18,
        "northwestern": 11,
        "southern": 12,
        "north_caucasian": 7,
        "volga": 14,
        "ural": 6,
        "siberian": 10,
        "far_eastern": 11,
    }


def test_subjects_admitted_in_2022_are_present_without_iso_codes():
    new = Region.objects.filter(code__in=["90", "93", "94", "95"]).order_by("code")
    assert [r.name for r in new] == [
        "Запорожская область",
        "Донецкая Народная Республика",
        "Луганская Народная Республика",
        "Херсонская область",
    ]
    assert {r.iso_code for r in new} == {""}
    assert {r.federal_district.code for r in new} == {"southern"}


def test_iso_codes_are_unique_where_present():
    codes = [c for c in Region.objects.values_list("iso_code", flat=True) if c]
    assert len(codes) == 83
    assert len(set(codes)) == 83
    assert Region.objects.get(iso_code="RU-TA").name == "Республика Татарстан"
    assert Region.objects.get(iso_code="RU-SPE").name_en == "Saint Petersburg"


def test_three_applicant_kinds_each_have_sub_kinds():
    top = ApplicantKind.objects.filter(parent=None).order_by("order")
    assert [k.code for k in top] == ["authority", "ngo", "business"]
    for kind in top:
        assert kind.children.count() >= 2


def test_national_projects_cover_both_programs_with_periods():
    healthcare = NationalProject.objects.get(code="healthcare_2019")
    assert (healthcare.period_start, healthcare.period_end) == (2019, 2024)
    programs = Counter(NationalProject.objects.values_list("program", flat=True))
    assert programs["2019_2024"] == 13
    assert programs["2025_2030"] >= 19
    assert all(p.period_start <= p.period_end for p in NationalProject.objects.all())


def test_loading_twice_changes_nothing():
    before = load_reference(apps)
    after = load_reference(apps)
    assert (
        before
        == after
        == {
            "federal_districts": 8,
            "regions": 89,
            "applicant_kinds": ApplicantKind.objects.count(),
            "national_projects": NationalProject.objects.count(),
        }
    )
