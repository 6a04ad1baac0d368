"""The Russian text of the summary, written from the numbers alone (no database)."""

from .. import numerals as nu

CLOSE_SECOND = 0.9
GROUP_SPREAD = 0.1
UNUSUAL_PRACTICES = 1
UNUSUAL_REGIONS = 4
DISTRICTS_GENITIVE = {
    "central": "Центрального",
    "northwestern": "Северо-Западного",
    "southern": "Южного",
    "north_caucasian": "Северо-Кавказского",
    "volga": "Приволжского",
    "ural": "Уральского",
    "siberian": "Сибирского",
    "far_eastern": "Дальневосточного",
}


class _Hedges:
    """Varies «свыше / более / больше» (and «около / порядка») through the text, as a press
    release does; deterministic."""

    def __init__(self):
        self.used = {kind: 0 for kind in nu.HEDGE_WORDS}

    def word(self, rounded: nu.Approx) -> str:
        if rounded.kind == nu.EXACT:
            return ""
        words = nu.HEDGE_WORDS[rounded.kind]
        self.used[rounded.kind] += 1
        return words[(self.used[rounded.kind] - 1) % len(words)]

    def amount(self, rounded: nu.Approx) -> str:
        return nu.amount(rounded, self.word(rounded))

    def phrase(self, n: int, noun: str, rounded: nu.Approx | None = None) -> tuple[str, bool]:
        """(«свыше 6,6 тыс. человек», whether a verb agreeing with it is singular)."""
        rounded = rounded or nu.approx(n)
        hedge = self.word(rounded)
        return nu.phrase(n, noun, hedge, rounded=rounded), nu.verb_is_singular(rounded)


def _together(practice: dict, codes: list[str], n: int) -> bool:
    """Regions said with one figure («Челябинской области и Татарстана – больше 300»): their
    counts have the same first digit and magnitude and differ by less than GROUP_SPREAD."""
    counts = [practice["regions"][c] for c in codes]
    return (
        nu.at_least(n).value == nu.at_least(max(counts)).value
        and max(counts) <= (1 + GROUP_SPREAD) * n
    )


def _sentence(text: str) -> str:
    """End with a full stop, unless the text already ends with one («… 300 тыс.»)."""
    return text if text.endswith(".") else f"{text}."


def _monotonic(groups: list, regions: dict[str, int]) -> list:
    """Split a group whose common figure would read no larger than the next region's
    («Москвы и Новосибирской области – больше 200, Татарстана – 205»)."""
    result = []
    for i, (codes, rounded) in enumerate(groups):
        following = groups[i + 1][1] if i + 1 < len(groups) else None
        if len(codes) > 1 and following and following.value >= rounded.value:
            result.extend(([code], nu.approx(regions[code])) for code in codes)
        else:
            result.append((codes, rounded))
    return result


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quoted(title: str) -> str:
    return f"«{title.strip().strip('«»')}»"


def _unsaid_new_regions(p: dict) -> dict[str, int]:
    """A practice's votes from the new regions, less those its unusual interest names."""
    said = {row["region"] for row in p["unusual"][:UNUSUAL_REGIONS]}
    return {code: n for code, n in p["new_regions"].items() if code not in said}


class _Writer:
    def __init__(self, numbers: dict):
        self.numbers = numbers
        self.hedges = _Hedges()

    def region(self, code: str, case: str = "gent") -> str:
        return nu.region_name(self.numbers["regions"][code]["name"], case)

    def regions(self, codes: list[str]) -> str:
        return nu.regions_list([self.numbers["regions"][c]["name"] for c in codes])

    def named(self, p: dict) -> str:
        """«Московской области «Поликлиника: перезагрузка»»."""
        return f"{self.region(p['region'])} {_quoted(p['title'])}"

    def practice(self, p: dict) -> str:
        return f"практика {self.named(p)}"

    # intro

    def intro(self) -> list[str]:
        n = self.numbers
        contest = _quoted(n["contest"])
        window = n["window"]
        dates = f"с {nu.day_month(window['opens'])} по {nu.day_month(window['closes'])}"
        if window["closed"]:
            lines = [
                f"Подведены итоги общественного голосования конкурса {contest}.",
                f"Голосование проводилось {dates}.",
            ]
        else:
            lines = [f"Идет общественное голосование конкурса {contest}: {dates}."]
        if not n["voters"]:
            return [*lines, "Голосов не подано." if window["closed"] else "Голосов пока нет."]
        people, singular = self.hedges.phrase(n["voters"], "человек")
        lines.append(f"В нем {'принял' if singular else 'приняли'} участие {people}.")
        voted = [_quoted(s["title"]) for s in n["sections"] if s["votes"]]
        if len(voted) > 1:
            verb = "выбрали" if window["closed"] else "выбирают"
            lines.append(
                f"Они {verb} самые востребованные практики по направлениям {nu.join(voted)}."
            )
        active = [row["region"] for row in n["active_regions"]]
        if len(active) > 1:
            lines.append(f"Самыми активными стали жители {self.regions(active)}.")
        elif active:
            lines.append(f"Все голоса подали жители {self.region(active[0])}.")
        if n["new_regions"]:
            lines.append(
                "В голосовании участвовали и жители новых регионов страны – "
                f"{self.regions(list(n['new_regions']))}."
            )
        return lines

    # sections

    def section(self, index: int, s: dict) -> list[str]:
        practices = s["practices"]
        direction = f"По направлению {_quoted(s['title'])}"
        if not practices:
            return []
        if not s["votes"]:
            closed = self.numbers["window"]["closed"]
            return [f"{direction} голосов {'не поступило' if closed else 'пока нет'}."]
        leader = practices[0]
        tied = [p for p in practices if p["votes"] == leader["votes"]]
        if len(tied) > 1:
            return self.tie(direction, tied)
        if len(practices) == 1:
            lines = [
                f"{direction} в голосовании участвовала одна практика – {self.practice(leader)}."
            ]
        else:
            verb = (
                "самой востребованной стала",
                "самой популярной оказалась",
                "первое место заняла",
            )
            lines = [f"{direction} {verb[index % 3]} {self.practice(leader)}."]
        lines += self.votes(index, s, leader)
        lines += self.second(practices)
        lines += self.pair_districts(practices)
        lines += self.unusual(practices)
        lines += self.new_regions(practices)
        return lines

    def tie(self, direction: str, tied: list[dict]) -> list[str]:
        names = nu.join([self.named(p) for p in tied])
        each, _singular = self.hedges.phrase(tied[0]["votes"], "голос")
        return [f"{direction} первое место разделили практики {names}: у каждой {each}."]

    def votes(self, index: int, s: dict, leader: dict) -> list[str]:
        variant = index % 3 if len(s["practices"]) > 1 else 2
        if variant == 0:
            people, singular = self.hedges.phrase(leader["votes"], "человек")
            verb = "свой голос отдал" if singular else "свои голоса отдали"
            lines = [f"За нее {verb} {people}."]
            lines += self.breakdown(leader)
            lines += self.top_multiple(s)
            return lines
        if variant == 1:
            people, singular = self.hedges.phrase(leader["votes"], "человек")
            verb = "проголосовал" if singular else "проголосовали"
            more = self.more_than_others(leader)
            lines = [f"За нее {verb} {people}{' – ' + more if more else ''}."]
            return lines + self.breakdown(leader)
        votes, _singular = self.hedges.phrase(leader["votes"], "голос")
        lines = [f"Она получила {votes}."]
        more = self.more_than_others(leader)
        if more and not self.is_close(s["practices"]):
            lines.append(f"Это {more}.")
        return lines + self.breakdown(leader, "Больше всего голосов за нее поступило")

    def more_than_others(self, leader: dict) -> str:
        """«в 2,5 раза больше, чем в среднем за другие практики направления»."""
        ratio = leader["multiple"]
        if ratio is None or ratio < 1.02:
            return ""
        times = nu.times(ratio)
        amount = times if times else f"на {nu.percent(int((ratio - 1) * 100))}"
        return f"{amount} больше, чем в среднем за другие практики направления"

    def breakdown(self, p: dict, intro: str = "Из них больше всего голосов поступило") -> list[str]:
        """«Из них больше всего голосов поступило от жителей Санкт-Петербурга – более 1,1 тыс.,
        Москвы – почти 600, …, свыше 235 – из Свердловской области.» Regions whose figures
        read the same are named together."""
        groups: list[tuple[list[str], nu.Approx]] = []
        for code in p["top_regions"]:
            n = p["regions"][code]
            rounded = nu.approx(n)
            if groups and (groups[-1][1] == rounded or _together(p, groups[-1][0], n)):
                codes = [*groups[-1][0], code]
                groups[-1] = (codes, nu.at_least(min(p["regions"][c] for c in codes)))
            else:
                groups.append(([code], rounded))
        if not groups:
            return []
        groups = _monotonic(groups, p["regions"])
        parts = []
        for i, (codes, rounded) in enumerate(groups):
            amount = self.hedges.amount(rounded)
            if i == len(groups) - 1 and i >= 3 and len(codes) == 1:
                parts.append(f"{amount} – из {self.region(codes[0])}")
            else:
                parts.append(f"{self.regions(codes)} – {amount}")
        return [_sentence(f"{intro} от жителей {', '.join(parts)}")]

    def top_multiple(self, s: dict) -> list[str]:
        top = s["top_multiple"]
        if not top:
            return []
        if not top["others_mean"]:
            return ["За другие практики направления жители этих регионов не голосовали."]
        times = nu.times(top["ratio"])
        if not times:
            return []
        return [
            f"Это {times} превышает число голосов, которые жители этих регионов отдали "
            "в среднем за каждую из других практик направления."
        ]

    def is_close(self, practices: list[dict]) -> bool:
        return len(practices) > 1 and practices[1]["votes"] >= CLOSE_SECOND * practices[0]["votes"]

    def second(self, practices: list[dict]) -> list[str]:
        if not self.is_close(practices):
            return []
        second = practices[1]
        votes, _singular = self.hedges.phrase(second["votes"], "голос")
        return [f"На втором месте – {self.practice(second)}: {votes}."]

    def pair_districts(self, practices: list[dict]) -> list[str]:
        """«Обе практики вызвали интерес у жителей столичных городов, а также Сибирского,
        Уральского и Приволжского федеральных округов»: where both the leader and a close
        second drew most of their votes (numbers kept before this rule have none)."""
        if not self.is_close(practices):
            return []
        second = practices[1].get("districts", [])
        common = [key for key in practices[0].get("districts", []) if key in second]
        districts = [DISTRICTS_GENITIVE[key] for key in common if key != "capitals"]
        parts = ["столичных городов"] if "capitals" in common else []
        if districts:
            noun = "федеральных округов" if len(districts) > 1 else "федерального округа"
            parts.append(f"{nu.join(districts)} {noun}")
        if not parts:
            return []
        return [f"Обе практики вызвали интерес у жителей {', а также '.join(parts)}."]

    def unusual(self, practices: list[dict]) -> list[str]:
        lines = []
        for p in [p for p in practices if p["unusual"]][:UNUSUAL_PRACTICES]:
            rows = p["unusual"][:UNUSUAL_REGIONS]
            least = min(row["lift"] for row in rows)
            subject = "Эта практика" if p is practices[0] else _capital(self.practice(p))
            lines.append(
                f"{subject} вызвала особый интерес у жителей "
                f"{self.regions([row['region'] for row in rows])}: там ее доля среди голосов "
                f"по направлению {nu.at_least_times(least)} выше, чем в целом по стране."
            )
        return lines

    def new_regions(self, practices: list[dict]) -> list[str]:
        """«Эта практика и практика Нижегородской области «…» вызвали интерес у жителей ДНР и
        ЛНР»: the two practices most voted for from the new regions, and the new regions that
        voted for both."""
        unsaid = {id(p): _unsaid_new_regions(p) for p in practices}
        ranked = sorted(
            (p for p in practices if unsaid[id(p)]), key=lambda p: -sum(unsaid[id(p)].values())
        )[:2]
        if not ranked:
            return []
        common = [c for c in unsaid[id(ranked[0])] if all(c in unsaid[id(p)] for p in ranked)]
        if not common:
            ranked = ranked[:1]
            common = list(unsaid[id(ranked[0])])
        names = ["эта практика" if p is practices[0] else self.practice(p) for p in ranked]
        verb = "вызвали" if len(ranked) > 1 else "вызвала"
        subject = _capital(nu.join(names))
        return [f"{subject} {verb} интерес у жителей {self.regions(common)}."]

    # applications

    def applications(self) -> list[str]:
        apps = self.numbers["applications"]
        if not apps["total"]:
            return []
        total = nu.approx(apps["total"])
        hedge = self.hedges.word(total)
        amount = nu.amount(total, hedge)
        noun = nu.noun_after(total, "заявка", hedge)
        verb = "поступила" if nu.verb_is_singular(total) else "поступило"
        directions = [d for d in apps["directions"] if d["count"]]
        if len(directions) == 1:
            every = "" if apps["total"] == 1 else "все "
            return [
                f"На конкурс {verb} {amount} {noun} – {every}по направлению "
                f"{_quoted(directions[0]['title'])}."
            ]
        parts = [
            f"{self.hedges.amount(nu.about(d['count']))} – по направлению {_quoted(d['title'])}"
            for d in directions
        ]
        return [f"На конкурс {verb} {amount} {noun}, из них {nu.join(parts)}."]

    def text(self) -> str:
        paragraphs = []
        if self.numbers["window"]:
            paragraphs.append(self.intro())
            sections = self.numbers["sections"] if self.numbers["voters"] else []
            for index, s in enumerate(sections):
                paragraphs.append(self.section(index, s))
        paragraphs.append(self.applications())
        return "\n\n".join(" ".join(lines) for lines in paragraphs if lines)


def generate(numbers: dict) -> str:
    """The Russian summary of `numbers` (from `numbers_for`); the same numbers always give
    the same text."""
    return _Writer(numbers).text()
