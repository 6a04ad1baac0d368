"""Russian number phrases: rounding with hedges, agreement, multiples, region names."""

import csv
from pathlib import Path

import pytest

from smartdialog.results import numerals as nu

NB = nu.NBSP
REGIONS_CSV = Path(nu.__file__).parents[1] / "reference" / "data" / "regions.csv"


@pytest.mark.parametrize(
    ("n", "hedge", "expected"),
    [
        (6640, "свыше", f"свыше 6,6{NB}тыс."),
        (4130, "более", f"более 4,1{NB}тыс."),
        (1130, "более", f"более 1,1{NB}тыс."),
        (588, "почти", "почти 600"),
        (595, "почти", "почти 600"),
        (599, "почти", "почти 600"),
        (587, "больше", "больше 585"),
        (312, "больше", "больше 310"),
        (237, "свыше", "свыше 235"),
        (328, "почти", "почти 330"),
        (2400, "", f"2,4{NB}тыс."),
        (2390, "почти", f"почти 2,4{NB}тыс."),
        (2430, "более", f"более 2,4{NB}тыс."),
        (17000, "", f"17{NB}тыс."),
        (30412, "больше", f"больше 30{NB}тыс."),
        (29500, "почти", f"почти 30{NB}тыс."),
        (123456, "свыше", f"свыше 120{NB}тыс."),
        (1234567, "более", f"более 1,2{NB}млн"),
        (995, "почти", f"почти 1{NB}тыс."),
        (9990, "почти", f"почти 10{NB}тыс."),
        (600, "", "600"),
        (235, "", "235"),
        (101, "больше", "больше 100"),
        (87, "", "87"),
        (88, "почти", "почти 90"),
        (12, "", "12"),
        (7, "", "7"),
        (1, "", "1"),
        (0, "", "0"),
    ],
)
def test_approx_rounds_as_the_press_writes(n, hedge, expected):
    assert nu.amount(nu.approx(n), hedge) == expected


def test_approx_is_never_untrue():
    """«свыше X» means more than X (by under 10 %), «почти X» a little less (under 2 % or a
    fifth of a step), an exact figure is the count."""
    for n in [*range(0, 12000), *range(12000, 2_000_000, 997)]:
        rounded = nu.approx(n)
        if rounded.kind == nu.EXACT:
            assert rounded.value == n
        elif rounded.kind == nu.ABOVE:
            assert rounded.value < n < 1.1 * rounded.value, n
        else:
            assert rounded.kind == nu.BELOW
            assert 0 < rounded.value - n <= max(0.02 * rounded.value, 20), n


def test_approx_refuses_a_negative_count():
    with pytest.raises(ValueError):
        nu.approx(-1)


def test_amount_refuses_a_hedge_that_says_the_wrong_thing():
    with pytest.raises(ValueError):
        nu.amount(nu.approx(588), "свыше")


@pytest.mark.parametrize(
    ("n", "expected"),
    [(193, "порядка 190"), (187, "около 190"), (87, "около 90"), (328, "почти 330"), (90, "90")],
)
def test_about_rounds_to_the_nearest(n, expected):
    rounded = nu.about(n)
    assert nu.amount(rounded, expected.split(" ")[0] if " " in expected else "") == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(312, "больше 300"), (305, "больше 300"), (300, "300"), (6640, "больше 6")]
)
def test_at_least_rounds_down_to_the_first_digit(n, expected):
    rounded = nu.at_least(n)
    figure = nu.amount(rounded, "больше" if rounded.kind == nu.ABOVE else "")
    assert figure.replace(f"{NB}тыс.", "") == expected


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (1, "голос", "1 голос"),
        (2, "голос", "2 голоса"),
        (5, "голос", "5 голосов"),
        (11, "голос", "11 голосов"),
        (21, "регион", "21 регион"),
        (22, "регион", "22 региона"),
        (112, "регион", "112 регионов"),
        (1, "человек", "1 человек"),
        (3, "человек", "3 человека"),
        (5, "человек", "5 человек"),
        (17000, "человек", f"17{NB}000 человек"),
        (24, "заявка", "24 заявки"),
        (101, "практика", "101 практика"),
    ],
)
def test_count_agrees_the_noun(n, word, expected):
    assert nu.count(n, word) == expected


@pytest.mark.parametrize(
    ("n", "word", "hedge", "expected"),
    [
        (6640, "человек", "свыше", f"свыше 6,6{NB}тыс. человек"),
        (30412, "человек", "больше", f"больше 30{NB}тыс. человек"),
        (2530, "голос", "свыше", f"свыше 2,5{NB}тыс. голосов"),
        (2400, "голос", "", f"2,4{NB}тыс. голосов"),
        (588, "голос", "почти", "почти 600 голосов"),
        (237, "голос", "свыше", "свыше 235 голосов"),
        (1, "голос", "", "1 голос"),
        (3, "человек", "", "3 человека"),
        (21, "регион", "", "21 регион"),
        (19, "регион", "почти", "почти 20 регионов"),
        (213, "регион", "более", "более 210 регионов"),
    ],
)
def test_phrase_agrees_after_the_hedge(n, word, hedge, expected):
    assert nu.phrase(n, word, hedge) == expected


def test_genitive_hedges_take_the_genitive_singular_after_one():
    rounded = nu.Approx(21, nu.ABOVE)
    assert nu.phrase(0, "регион", "более", rounded=rounded) == "более 21 региона"
    assert nu.phrase(0, "регион", "почти", rounded=nu.Approx(21, nu.BELOW)) == "почти 21 регион"


@pytest.mark.parametrize(
    ("n", "singular"), [(1, True), (21, True), (11, False), (5, False), (1130, False)]
)
def test_verb_agrees_with_the_count(n, singular):
    assert nu.verb_is_singular(nu.approx(n)) is singular


@pytest.mark.parametrize(
    ("value", "expected"),
    [(17000, f"17{NB}000"), (6640, "6640"), (1234567, f"1{NB}234{NB}567"), (-12000, f"-12{NB}000")],
)
def test_integer_groups_from_five_digits(value, expected):
    assert nu.integer(value) == expected


def test_decimal_and_percent_use_a_comma():
    assert nu.decimal(2.5) == "2,5"
    assert nu.decimal(2.0) == "2"
    assert nu.decimal(12345.25, 2) == f"12{NB}345,25"
    assert nu.percent(17) == f"17{NB}%"
    assert nu.percent(4.26, 1) == f"4,3{NB}%"
    assert nu.percent(33.333, 1) == f"33,3{NB}%"


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (1.2, None),
        (1.5, "в 1,5 раза"),
        (2.0, "вдвое"),
        (3.02, "втрое"),
        (2.5, "в 2,5 раза"),
        (2.6, "более чем в 2,5 раза"),
        (4.95, "в пять раз"),
        (5.06, "в пять раз"),
        (5.3, "более чем в пять раз"),
        (7.0, "в семь раз"),
        (12.4, "более чем в 12 раз"),
        (21.0, "в 21 раз"),
        (22.1, "в 22 раза"),
    ],
)
def test_times(ratio, expected):
    assert nu.times(ratio) == expected


def test_at_least_times_rounds_down_to_a_half():
    assert nu.at_least_times(2.4) == "как минимум вдвое"
    assert nu.at_least_times(2.9) == "как минимум в 2,5 раза"
    assert nu.at_least_times(3.6) == "как минимум в 3,5 раза"
    assert nu.at_least_times(11.7) == "как минимум в 11 раз"
    assert nu.at_least_times(1.2) is None


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Санкт-Петербург", "gent", "Санкт-Петербурга"),
        ("Москва", "gent", "Москвы"),
        ("Свердловская область", "gent", "Свердловской области"),
        ("Челябинская область", "gent", "Челябинской области"),
        ("Московская область", "gent", "Московской области"),
        ("Нижегородская область", "gent", "Нижегородской области"),
        ("Сахалинская область", "gent", "Сахалинской области"),
        ("Республика Татарстан", "gent", "Татарстана"),
        ("Донецкая Народная Республика", "gent", "ДНР"),
        ("Луганская Народная Республика", "gent", "ЛНР"),
        ("Ямало-Ненецкий автономный округ", "gent", "ЯНАО"),
        ("Тверская область", "gent", "Тверской области"),
        ("Республика Коми", "gent", "Республики Коми"),
        ("Республика Марий Эл", "gent", "Республики Марий Эл"),
        ("Еврейская автономная область", "gent", "Еврейской автономной области"),
        ("Кемеровская область — Кузбасс", "gent", "Кузбасса"),
        ("Республика Саха (Якутия)", "gent", "Якутии"),
        ("Кабардино-Балкарская Республика", "gent", "Кабардино-Балкарии"),
        ("Пермский край", "ablt", "Пермским краем"),
        ("Республика Татарстан", "nomn", "Татарстан"),
    ],
)
def test_region_name_in_a_case(name, case, expected):
    assert nu.region_name(name, case) == expected


def test_all_89_regions_decline_to_a_capitalised_genitive_that_differs_or_is_fixed():
    with REGIONS_CSV.open(encoding="utf-8") as f:
        names = [row["name_ru"] for row in csv.DictReader(f)]
    assert len(names) == 89
    genitives = [nu.region_name(name, "gent") for name in names]
    assert all(g[:1].isupper() for g in genitives)
    assert len(set(genitives)) == 89
    fixed = {"ДНР", "ЛНР", "ЯНАО"}
    unchanged = [g for n, g in zip(names, genitives, strict=True) if g == nu.short_name(n)]
    assert set(unchanged) == fixed


def test_region_name_refuses_an_unknown_case():
    with pytest.raises(ValueError):
        nu.region_name("Москва", "vocative")


def test_regions_list_merges_oblasts_and_krais():
    assert nu.regions_list(
        [
            "Москва",
            "Новосибирская область",
            "Свердловская область",
            "Челябинская область",
            "Санкт-Петербург",
            "Республика Татарстан",
        ]
    ) == (
        "Москвы, Новосибирской, Свердловской и Челябинской областей, Санкт-Петербурга и Татарстана"
    )
    assert nu.regions_list(["Пермский край", "Москва", "Краснодарский край"]) == (
        "Пермского и Краснодарского краёв и Москвы"
    )
    assert nu.regions_list(["Москва"]) == "Москвы"
    assert nu.regions_list([]) == ""


def test_join_and_dates():
    assert nu.join(["А"]) == "А"
    assert nu.join(["А", "Б"]) == "А и Б"
    assert nu.join(["А", "Б", "В"]) == "А, Б и В"
    assert nu.day_month("2023-11-07") == "7 ноября"
    assert nu.day_month("2023-12-08T00:00:00") == "8 декабря"
