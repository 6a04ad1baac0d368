"""Russian number phrases as press releases write them: «свыше 6,6 тыс. человек», «почти 600»,
«в 2,5 раза», «жителей Санкт-Петербурга». Pure functions, no database.

Rounding (`approx`), so that every phrase stays true:

- below 10, or a number that is already round (a multiple of 10 below 1 000, of 100 below
  10 000, of 1 000 above): the number itself («7», «600», «2,4 тыс.», «17 тыс.»);
- «почти R» when R is the next round number at one significant digit (600, 7 тыс., 30 тыс.)
  and the number is less than 2 % below it (588–599 → «почти 600»), or R is the next multiple
  of the display step (10 below 1 000, 100 below 10 000, 1 000 above) and the number is in
  the last fifth of that step (328 → «почти 330», but 6 640 → «свыше 6,6 тыс.»);
- else rounded down and said «свыше / более / больше»: to a multiple of 5 below 1 000
  (237 → «свыше 235», 312 → «больше 310»), to hundreds in thousands below 10 000
  (6 640 → «свыше 6,6 тыс.», 1 130 → «более 1,1 тыс.»), to thousands above
  (30 412 → «больше 30 тыс.»); under 100 a number that is not «почти» is written exactly.

`about` rounds to the nearest display step instead and says «около / порядка» (for counts
where the press does so: «порядка 190», «около 90»).
"""

import math
from dataclasses import dataclass
from functools import cache

NBSP = "\u00a0"

BELOW = "below"
ABOVE = "above"
NEAR = "near"
EXACT = "exact"

# Words that govern the genitive (the noun after them is «голосов», «региона»…), and «почти»,
# an adverb that leaves the agreement to the number.
GENITIVE_HEDGES = frozenset({"свыше", "более", "больше", "около", "порядка"})


# --- plain numbers -------------------------------------------------------------------------


def integer(n: int) -> str:
    """17000 → «17 000» (no-break space between groups from five digits, as Russian
    typography writes; 6640 stays «6640»)."""
    text = str(abs(n))
    if len(text) > 4:
        groups = []
        while text:
            groups.insert(0, text[-3:])
            text = text[:-3]
        text = NBSP.join(groups)
    return f"-{text}" if n < 0 else text


def decimal(x: float, places: int = 1) -> str:
    """2.5 → «2,5»; 2.0 → «2»; a decimal comma, trailing zeros dropped."""
    rounded = round(x, places)
    if rounded == int(rounded):
        return integer(int(rounded))
    whole, _, fraction = f"{rounded:.{places}f}".partition(".")
    return f"{integer(int(whole))},{fraction.rstrip('0')}"


def percent(x: float, places: int = 0) -> str:
    """17 → «17 %», 4.25 → «4,3 %» with places=1 (space before the sign, as in seed 004)."""
    return f"{decimal(x, places)}{NBSP}%"


# --- agreement -----------------------------------------------------------------------------


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# pymorphy3 gives «людей» for «5 человек»; counting keeps «человек».
_COUNT_FORMS = {"человек": ("человек", "человека", "человек")}


def plural_category(n: int) -> int:
    """0 for «1 голос» (…1 except …11), 1 for «2 голоса» (…2–4 except …12–14), 2 otherwise."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def forms(word: str) -> tuple[str, str, str]:
    """The three counting forms of a noun: «голос, голоса, голосов»."""
    if word in _COUNT_FORMS:
        return _COUNT_FORMS[word]
    parsed = _noun(word)
    return tuple(parsed.make_agree_with_number(n).word for n in (1, 2, 5))


def _noun(word: str):
    parses = _morph().parse(word)
    return next((p for p in parses if "NOUN" in p.tag and "nomn" in p.tag), parses[0])


def _genitive(word: str, number: str) -> str:
    if word in _COUNT_FORMS and number == "plur":
        return _COUNT_FORMS[word][2]
    return _noun(word).inflect({"gent", number}).word


def agree(n: int, word: str) -> str:
    """«1 голос», «2 голоса», «5 голосов», «21 регион», «5 человек» — the noun only."""
    return forms(word)[plural_category(n)]


def count(n: int, word: str) -> str:
    """«5 голосов», «17 000 человек»."""
    return f"{integer(n)} {agree(n, word)}"


# --- rounding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approx:
    """A rounded figure: `value` is what is written, `kind` how it relates to the count."""

    value: int
    kind: str  # EXACT, ABOVE (the count is more), BELOW (the count is a little less), NEAR

    @property
    def figure(self) -> str:
        """«6,6 тыс.», «17 тыс.», «1,2 млн», «600», «7»."""
        if self.value >= 1_000_000 and self.value % 100_000 == 0:
            return f"{decimal(self.value / 1_000_000)}{NBSP}млн"
        if self.value >= 1000 and self.value % 100 == 0:
            return f"{decimal(self.value / 1000)}{NBSP}тыс."
        return integer(self.value)

    @property
    def abbreviated(self) -> bool:
        return not self.figure[-1].isdigit()


def _step(n: int) -> int:
    """The precision a press release keeps: tens below 1 000, hundreds below 10 000,
    thousands above (100 000 and more: two significant digits)."""
    if n < 1000:
        return 10
    if n < 10_000:
        return 100
    return max(1000, 10 ** (len(str(n)) - 2))


def _first_digit_round_up(n: int) -> int:
    power = 10 ** (len(str(n)) - 1)
    return math.ceil(n / power) * power


def approx(n: int) -> Approx:
    """Round a count as the press does (the rule is in the module docstring)."""
    if n < 0:
        raise ValueError("a count cannot be negative")
    if n < 10:
        return Approx(n, EXACT)
    step = _step(n)
    if n % step == 0:
        return Approx(n, EXACT)
    rounded_up = _first_digit_round_up(n)
    if n >= 0.98 * rounded_up:
        return Approx(rounded_up, BELOW)
    next_step = math.ceil(n / step) * step
    if next_step - n <= step // 5:
        return Approx(next_step, BELOW)
    if n < 100:
        return Approx(n, EXACT)
    floor_step = 5 if n < 1000 else step
    floored = n // floor_step * floor_step
    return Approx(floored, EXACT if floored == n else ABOVE)


def at_least(n: int) -> Approx:
    """Round down to the first significant digit: 312 → «больше 300», 300 → «300»."""
    if n < 10:
        return Approx(n, EXACT)
    power = 10 ** (len(str(n)) - 1)
    floored = n // power * power
    return Approx(floored, EXACT if floored == n else ABOVE)


def about(n: int) -> Approx:
    """Round to the nearest display step («около 90», «порядка 190»); «почти» and exact
    numbers as `approx`."""
    rounded = approx(n)
    if rounded.kind != ABOVE and not (rounded.kind == EXACT and n > 10 and n % 10):
        return rounded
    step = _step(n)
    return Approx(math.floor(n / step + 0.5) * step, NEAR)


HEDGE_WORDS = {ABOVE: ("больше", "свыше", "более"), BELOW: ("почти",), NEAR: ("порядка", "около")}


def amount(rounded: Approx, hedge: str = "") -> str:
    """«свыше 6,6 тыс.», «почти 600», «235»: the figure with its hedge word."""
    if rounded.kind != EXACT and hedge not in HEDGE_WORDS[rounded.kind]:
        raise ValueError(f"«{hedge}» does not say {rounded.kind}")
    figure = rounded.figure
    return f"{hedge} {figure}" if rounded.kind != EXACT else figure


def noun_after(rounded: Approx, word: str, hedge: str = "") -> str:
    """The noun's form after the figure: «тыс. голосов», «2,5 раза», and after «более»,
    «свыше», «около»… the genitive («более 21 региона», «около 3 человек»)."""
    if rounded.abbreviated:
        return _genitive(word, "plur")
    if rounded.kind != EXACT and hedge in GENITIVE_HEDGES:
        category = plural_category(rounded.value)
        return _genitive(word, "sing" if category == 0 else "plur")
    return agree(rounded.value, word)


def phrase(n: int, word: str, hedge: str = "", *, rounded: Approx | None = None) -> str:
    """«свыше 6,6 тыс. человек», «почти 600 голосов», «1 голос»."""
    rounded = rounded or approx(n)
    return f"{amount(rounded, hedge)} {noun_after(rounded, word, hedge)}"


def verb_is_singular(rounded: Approx) -> bool:
    """«проголосовал 1 человек», «проголосовал 21 человек», but «проголосовали 5 человек» and
    «проголосовали более 21 человека»."""
    return rounded.kind == EXACT and not rounded.abbreviated and plural_category(rounded.value) == 0


# --- multiples -----------------------------------------------------------------------------

_TIMES_WORDS = {
    2: "вдвое",
    3: "втрое",
    4: "в четыре раза",
    5: "в пять раз",
    6: "в шесть раз",
    7: "в семь раз",
    8: "в восемь раз",
    9: "в девять раз",
    10: "в десять раз",
}


def _times_exact(half_steps: int) -> str:
    value = half_steps / 2
    if value == int(value):
        whole = int(value)
        return _TIMES_WORDS.get(whole) or f"в {integer(whole)} {agree(whole, 'раз')}"
    return f"в {decimal(value)} раза"


def times(ratio: float) -> str | None:
    """A multiple as the press writes it: «вдвое», «в пять раз», «в 2,5 раза», «в 12 раз».

    Below 10 the ratio is taken in halves: said plainly within 2 % of a half
    (4.95 → «в пять раз»), else «более чем в» the half below (5.3 → «более чем в пять раз»).
    From 10 on in whole numbers the same way. Below 1.5 there is no multiple to speak of:
    None (say it in per cent instead).
    """
    if ratio < 1.5:
        return None
    unit = 2 if ratio < 10 else 1
    nearest = round(ratio * unit)
    if abs(ratio - nearest / unit) <= 0.02 * ratio:
        return _times_exact(nearest * 2 // unit)
    return "более чем " + _times_exact(math.floor(ratio * unit) * 2 // unit)


def at_least_times(ratio: float) -> str | None:
    """«как минимум вдвое», «как минимум в 2,5 раза»: the ratio rounded down to a half
    (below 10) or a whole number; None below 1.5."""
    if ratio < 1.5:
        return None
    unit = 2 if ratio < 10 else 1
    return "как минимум " + _times_exact(math.floor(ratio * unit) * 2 // unit)


# --- region names --------------------------------------------------------------------------

# Short names the press uses (nominative); anything not here is declined from its full name.
SHORT_NAMES = {
    "Республика Адыгея": "Адыгея",
    "Республика Башкортостан": "Башкортостан",
    "Республика Бурятия": "Бурятия",
    "Республика Дагестан": "Дагестан",
    "Донецкая Народная Республика": "ДНР",
    "Республика Ингушетия": "Ингушетия",
    "Кабардино-Балкарская Республика": "Кабардино-Балкария",
    "Республика Калмыкия": "Калмыкия",
    "Карачаево-Черкесская Республика": "Карачаево-Черкесия",
    "Республика Карелия": "Карелия",
    "Республика Крым": "Крым",
    "Луганская Народная Республика": "ЛНР",
    "Республика Мордовия": "Мордовия",
    "Республика Саха (Якутия)": "Якутия",
    "Республика Северная Осетия — Алания": "Северная Осетия",
    "Республика Татарстан": "Татарстан",
    "Республика Тыва": "Тыва",
    "Удмуртская Республика": "Удмуртия",
    "Республика Хакасия": "Хакасия",
    "Чеченская Республика": "Чечня",
    "Чувашская Республика": "Чувашия",
    "Кемеровская область — Кузбасс": "Кузбасс",
    "Ханты-Мансийский автономный округ — Югра": "Югра",
    "Ямало-Ненецкий автономный округ": "ЯНАО",
}

_CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct"}


def short_name(name: str) -> str:
    return SHORT_NAMES.get(name, name)


def _capitalised_like(original: str, word: str) -> str:
    parts = word.split("-")
    originals = original.split("-")
    return "-".join(
        part.capitalize() if i < len(originals) and originals[i][:1].isupper() else part
        for i, part in enumerate(parts)
    )


def _parse(word: str, *, adjective: bool = False):
    """The nominative reading, an adjective's when one is wanted («Тверская» is also a
    street)."""
    parses = [p for p in _morph().parse(word) if "nomn" in p.tag] or _morph().parse(word)
    if adjective:
        return next((p for p in parses if "ADJF" in p.tag), parses[0])
    return parses[0]


def _inflect_word(word: str, case: str, number: str = "sing", *, adjective=False) -> str:
    if word.isupper() or (not word.isalpha() and "-" not in word):
        return word  # «ДНР», «–»
    parsed = _parse(word, adjective=adjective)
    if "Fixd" in parsed.tag:
        return word
    inflected = parsed.inflect({case, number})
    return _capitalised_like(word, inflected.word) if inflected else word


def region_name(name: str, case: str = "nomn") -> str:
    """A region as the press names it, in a case: («Республика Татарстан», "gent") →
    «Татарстана»; «Свердловская область» → «Свердловской области»; «ЯНАО» stays.

    Adjectives and the first noun are declined; what follows the first noun is an apposition
    and stays («Республики Марий Эл», «Республики Коми»)."""
    if case not in _CASES:
        raise ValueError(f"unknown case {case}")
    name = short_name(name)
    if case == "nomn":
        return name
    words = name.split(" ")
    result = []
    for i, word in enumerate(words):
        if word in {"–", "—"}:
            result.extend(words[i:])
            break
        adjective = i + 1 < len(words)
        result.append(_inflect_word(word, case, adjective=adjective))
        if not word.isupper() and "NOUN" in _parse(word, adjective=adjective).tag:
            result.extend(words[i + 1 :])
            break
    return " ".join(result)


_KIND_NOUNS = {"область": "областей", "край": "краёв"}


def _adjective_and_noun(name: str) -> tuple[str, str] | None:
    """«Свердловская область» → («Свердловская», «область»); None for other names."""
    words = short_name(name).split(" ")
    if len(words) == 2 and words[1] in _KIND_NOUNS:
        return words[0], words[1]
    return None


def join(items: list[str], conjunction: str = "и") -> str:
    """«A», «A и B», «A, B и C»."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def regions_list(names: list[str], case: str = "gent") -> str:
    """Several regions in one phrase, oblasts (and krais) merged where the first of them
    stands: «Москвы, Новосибирской, Свердловской и Челябинской областей, Санкт-Петербурга
    и Татарстана»."""
    groups: list[list[str]] = []
    nouns: dict[int, str] = {}
    for name in names:
        split = _adjective_and_noun(name)
        if split:
            index = next((i for i, noun in nouns.items() if noun == split[1]), None)
            if index is not None:
                groups[index].append(name)
                continue
            nouns[len(groups)] = split[1]
        groups.append([name])
    parts = []
    for group in groups:
        if len(group) == 1:
            parts.append(region_name(group[0], case))
            continue
        noun = _adjective_and_noun(group[0])[1]
        adjectives = [
            _inflect_word(_adjective_and_noun(name)[0], case, adjective=True) for name in group
        ]
        plural_noun = _KIND_NOUNS[noun] if case == "gent" else _inflect_word(noun, case, "plur")
        parts.append(f"{join(adjectives)} {plural_noun}")
    return join(parts)


# --- dates ---------------------------------------------------------------------------------

_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def day_month(iso_date: str) -> str:
    """«2023-11-07» → «7 ноября»."""
    _year, month, day = (int(part) for part in iso_date[:10].split("-"))
    return f"{day} {_MONTHS[month - 1]}"
