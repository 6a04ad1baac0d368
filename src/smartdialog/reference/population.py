"""Resident population of the federal subjects, for rates such as voters per 100 000.

Read from `data/population.csv` (sources and caveats in `data/SOURCES.md`); a subject for
which no official figure could be stated has no entry, so a rate for it is "no data"
rather than a number computed from a guess.
"""

import csv
from functools import cache

from .loader import DATA_DIR

SOURCE = (
    "Росстат, оценка численности постоянного населения на 1 января 2024 г. "
    "(ДНР — Правительство ДНР, на 1 апреля 2024 г.; по ЛНР, Запорожской и Херсонской "
    "областям официальных данных нет)"
)
SOURCE_EN = (
    "Rosstat, resident population estimate as of 1 January 2024 (DPR: the DPR Government, "
    "as of 1 April 2024; no official figures for the LPR, Zaporozhye and Kherson oblasts)"
)


@cache
def population() -> dict[str, int]:
    """Region code → residents, for every subject with a stated figure."""
    with open(DATA_DIR / "population.csv", encoding="utf-8", newline="") as f:
        return {
            row["code"]: int(row["population"]) for row in csv.DictReader(f) if row["population"]
        }
