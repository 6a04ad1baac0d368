"""`numbers_for` on a small vote in the database: counted votes, regions as cast, rules."""

import json

import pytest

from smartdialog.results.numerals import NBSP
from smartdialog.results.summary import generate, numbers_for
from smartdialog.results.summary import numbers as summary_numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers(voted, monkeypatch):
    monkeypatch.setattr(summary_numbers, "UNUSUAL_MIN_VOTES", 2)
    return numbers_for(voted.edition)


def test_totals_count_distinct_voters_and_leave_excluded_votes_apart(numbers):
    assert (numbers["voters"], numbers["votes"], numbers["excluded"]) == (8, 11, 1)
    assert numbers["active_regions"] == [
        {"region": "77", "voters": 3},
        {"region": "50", "voters": 2},
        {"region": "78", "voters": 2},
        {"region": "93", "voters": 1},
    ]
    assert numbers["new_regions"] == {"93": 1}
    assert numbers["regions"]["93"] == {
        "name": "Донецкая Народная Республика",
        "kind": "republic",
    }


def test_a_section_has_its_practices_ranked_with_regions_and_the_multiples(numbers):
    health, education = numbers["sections"]
    leader, second = health["practices"]
    assert (health["title"], health["votes"]) == ("Здравоохранение", 8)
    assert (leader["title"], leader["region"], leader["votes"], leader["excluded"]) == (
        "Практика 1.1",
        "77",
        6,
        1,
    )
    assert leader["regions"] == {"77": 3, "50": 2, "93": 1}
    assert leader["top_regions"] == ["77", "50"]
    assert leader["multiple"] == 3.0
    assert leader["new_regions"] == {"93": 1}
    # Moscow apart as a capital, the Moscow region in the Central district; 1 vote is too few
    assert leader["districts"] == ["capitals", "central"]
    assert health["top_multiple"] == {
        "regions": ["77", "50"],
        "leader": 5,
        "others_mean": 0,
        "ratio": None,
    }
    assert second["unusual"] == [{"region": "78", "votes": 2, "lift": 4.0}]
    assert leader["unusual"] == []
    assert [p["votes"] for p in education["practices"]] == [3, 0]
    assert education["practices"][0]["multiple"] is None


def test_applications_per_direction_count_submitted_ones(numbers):
    assert numbers["applications"] == {
        "total": 4,
        "directions": [
            {"title": "Здравоохранение", "count": 2},
            {"title": "Образование", "count": 2},
        ],
    }


def test_numbers_are_json_and_give_the_text(numbers):
    assert json.loads(json.dumps(numbers)) == numbers
    text = generate(numbers).replace(NBSP, " ")
    assert text.split("\n\n")[1:] == [
        "По направлению «Здравоохранение» самой востребованной стала практика Москвы "
        "«Практика 1.1». За нее свои голоса отдали 6 человек. Из них больше всего голосов "
        "поступило от жителей Москвы – 3, Московской области – 2. За другие практики "
        "направления жители этих регионов не голосовали. Практика Москвы «Практика 1.2» "
        "вызвала особый интерес у жителей Санкт-Петербурга: там ее доля среди голосов по "
        "направлению как минимум в четыре раза выше, чем в целом по стране. Эта практика "
        "вызвала интерес у жителей ДНР.",
        "По направлению «Образование» самой популярной оказалась практика Москвы «Практика "
        "2.1». За нее проголосовали 3 человека. Из них больше всего голосов поступило от "
        "жителей Москвы – 3.",
        "На конкурс поступило 4 заявки, из них 2 – по направлению «Здравоохранение» и 2 – по "
        "направлению «Образование».",
    ]


def test_an_edition_without_a_vote_has_only_applications(edition):
    numbers = numbers_for(edition)
    assert (numbers["window"], numbers["sections"], numbers["voters"]) == (None, [], 0)
    assert numbers["applications"] == {"total": 0, "directions": []}
    assert generate(numbers) == ""
