import csv

from smartdialog.reference.loader import DATA_DIR
from smartdialog.reference.population import population

NO_OFFICIAL_FIGURE = {"90", "94", "95"}


def _rows():
    with open(DATA_DIR / "population.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _region_codes():
    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as f:
        return {row["code"] for row in csv.DictReader(f)}


def test_every_one_of_the_89_subjects_has_exactly_one_row():
    codes = [row["code"] for row in _rows()]
    assert len(codes) == 89
    assert set(codes) == _region_codes()


def test_only_subjects_without_an_official_figure_are_left_without_one():
    assert set(population()) == _region_codes() - NO_OFFICIAL_FIGURE
    assert {row["code"] for row in _rows() if row["source"] == "none"} == NO_OFFICIAL_FIGURE
    assert {row["source"] for row in _rows() if row["code"] == "93"} == {"dnr_government"}


def test_rosstat_total_is_close_to_the_published_146_150_789():
    rosstat = sum(int(row["population"]) for row in _rows() if row["source"] == "rosstat")
    assert abs(rosstat - 146_150_789) / 146_150_789 < 0.005
    assert population()["77"] == 13_149_803
    assert all(1 < residents < 14_000_000 for residents in population().values())
