"""Upsert the versioned reference CSVs; shared by the data migration and `load_reference`."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def load_reference(models) -> dict[str, int]:
    """`models` is anything with get_model(app, name): the app registry or a migration's apps."""
    get = models.get_model
    District = get("reference", "FederalDistrict")
    Region = get("reference", "Region")
    ApplicantKind = get("reference", "ApplicantKind")
    NationalProject = get("reference", "NationalProject")

    districts = {}
    for row in _rows("federal_districts.csv"):
        districts[row["code"]], _ = District.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name_ru"], "name_en": row["name_en"], "order": row["order"]},
        )
    for row in _rows("regions.csv"):
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name_ru"],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "federal_district": districts[row["federal_district"]],
                "iso_code": row["iso_code"],
                "order": row["order"],
            },
        )
    kinds = {}
    for row in _rows("applicant_kinds.csv"):  # parents come before their children in the file
        kinds[row["code"]], _ = ApplicantKind.objects.update_or_create(
            code=row["code"],
            defaults={
                "parent": kinds[row["parent"]] if row["parent"] else None,
                "name": row["name_ru"],
                "name_en": row["name_en"],
                "order": row["order"],
            },
        )
    for row in _rows("national_projects.csv"):
        NationalProject.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name_ru"],
                "name_en": row["name_en"],
                "program": row["program"],
                "period_start": row["period_start"],
                "period_end": row["period_end"],
            },
        )
    return {
        "federal_districts": District.objects.count(),
        "regions": Region.objects.count(),
        "applicant_kinds": ApplicantKind.objects.count(),
        "national_projects": NationalProject.objects.count(),
    }
