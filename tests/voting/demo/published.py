"""The figures of seed 004 as checks over counts, for the plan and for the database alike.

`totals` maps a nomination code to its votes, `cells` a (nomination code, region code) pair to
the votes of that region's residents. Each bound is the press release's phrase.
"""

HEALTH_OTHERS = ("1.2", "1.3", "1.4")
SOCIAL_OTHERS = ("3.2", "3.3", "3.4")
FIVE_REGIONS = {"78", "77", "74", "16", "66"}
FIVE_TIMES = (4.75, 5.25)  # «в пять раз»: leader ÷ mean of the other health practices there
TWO_AND_A_HALF = (2.4, 2.6)  # «в 2,5 раза»: leader ÷ mean of the other social practices


def top_regions(cells, practice, n):
    ranked = sorted(((-v, r) for (p, r), v in cells.items() if p == practice and v))
    return {r for _v, r in ranked[:n]}


def check_leaders(totals):
    assert 6_600 < totals["1.1"] < 6_700  # «свыше 6,6 тыс.»
    assert 4_100 < totals["3.1"] < 4_200  # «более 4,1 тыс.»
    assert 2_500 < totals["2.3"] < 2_600  # «свыше 2,5 тыс.»
    assert 2_350 <= totals["2.1"] < 2_450  # «2,4 тыс.»
    for section in "123":
        ranked = sorted((n, p) for p, n in totals.items() if p.startswith(f"{section}."))
        assert ranked[-1][1] == {"1": "1.1", "2": "2.3", "3": "3.1"}[section]
    assert sorted(n for p, n in totals.items() if p.startswith("2."))[-2] == totals["2.1"]
    others = sum(totals[p] for p in SOCIAL_OTHERS) / len(SOCIAL_OTHERS)
    assert TWO_AND_A_HALF[0] <= totals["3.1"] / others <= TWO_AND_A_HALF[1]


def check_regions(cells, districts):
    assert 1_100 < cells["1.1", "78"] < 1_200  # Санкт-Петербург «более 1,1 тыс.»
    assert 580 <= cells["1.1", "77"] < 600  # Москва «почти 600»
    assert cells["1.1", "74"] > 300 and cells["1.1", "16"] > 300  # «больше 300»
    assert 235 < cells["1.1", "66"] < 250  # Свердловская «свыше 235»
    assert top_regions(cells, "1.1", 5) == FIVE_REGIONS  # «больше всего голосов поступило»
    for region in FIVE_REGIONS:
        others = sum(cells.get((p, region), 0) for p in HEALTH_OTHERS) / len(HEALTH_OTHERS)
        assert FIVE_TIMES[0] <= cells["1.1", region] / others <= FIVE_TIMES[1], region
    # ДНР (93) and ЛНР (94): 1.1 and 1.2 drew their residents, the other health ones hardly.
    for region in ("93", "94"):
        rest = max(cells.get(("1.3", region), 0), cells.get(("1.4", region), 0))
        assert min(cells["1.1", region], cells["1.2", region]) >= 5 * max(rest, 1), region
    assert top_regions(cells, "3.1", 4) == {"78", "77", "93", "16"}

    # 2.3 and 2.1: among the capitals' favourites, and a larger share of their votes from the
    # Siberian, Ural and Volga districts than those districts give the vote as a whole.
    def eastern_share(practices):
        votes = [(r, v) for (p, r), v in cells.items() if p in practices]
        east = sum(v for r, v in votes if districts[r] in {"siberian", "ural", "volga"})
        return east / sum(v for _r, v in votes)

    overall = eastern_share({p for p, _r in cells})
    for practice in ("2.3", "2.1"):
        assert {"77", "78"} <= top_regions(cells, practice, 4)
        assert eastern_share({practice}) > overall + 0.05, practice


def check_most_active(voters_by_region):
    ranked = sorted(voters_by_region, key=lambda r: -voters_by_region[r])
    assert set(ranked[:6]) == {"77", "54", "66", "74", "78", "16"}
    assert len(voters_by_region) >= 70  # most of the 89 subjects, a long tail
