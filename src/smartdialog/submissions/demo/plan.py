"""Planning the intake: every organisation and application step, drawn from one seed."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from smartdialog.contests.enums import StageKind
from smartdialog.organizations.validators import (
    INN10_WEIGHTS,
    INN12_WEIGHTS_11,
    INN12_WEIGHTS_12,
    inn_check_digit,
)
from smartdialog.reference.models import Region

from ..enums import ImplementationStatus
from .data import (
    ALL_YES,
    BRANDS,
    CONDITIONS,
    DIRECTION_SHARES,
    INSTITUTION_WORDS,
    INSTITUTIONS,
    INTAKE_DOMAIN,
    KIND_WEIGHTS,
    LOCAL,
    MEN,
    MINISTRIES,
    MOSCOW,
    MUNICIPAL,
    NEW_REGIONS,
    NGO_NAMES,
    NGO_RESOURCES,
    NOMINATIONS,
    PATRONYMICS,
    PROGRAMMES,
    REGION_ADJ,
    REGIONS,
    REJECTIONS,
    REPEAT_SHARE,
    REPLICATION,
    RESOURCES,
    RETURN_COMMENTS,
    RETURN_NOTES,
    SCENARIOS,
    STEPS,
    STREETS,
    SURNAMES,
    TEAM_ROLES,
    WOMEN,
)

# --- helpers ---------------------------------------------------------------------------------


def genitive(name: str) -> str:
    """«Пермский край» → «Пермского края», as in «Министерство здравоохранения …»."""
    special = {
        "Москва": "города Москвы",
        "Санкт-Петербург": "Санкт-Петербурга",
        "Севастополь": "города Севастополя",
    }
    if name in special:
        return special[name]
    if name.startswith("Республика "):
        return "Республики " + name.removeprefix("Республика ")
    head, dash, tail = name.partition(" — ")
    nouns = {"край": "края", "область": "области", "округ": "округа", "Республика": "Республики"}
    words = []
    for word in head.split():
        if word in nouns:
            words.append(nouns[word])
        elif word.endswith(("ий", "ый")):
            words.append(word[:-2] + "ого")
        elif word.endswith("ая"):
            words.append(word[:-2] + "ой")
        else:
            words.append(word)
    tail = {"Югра": "Югры", "Кузбасс": "Кузбасса"}.get(tail, tail)
    return " ".join(words) + (dash + tail if dash else "")


def apportion(total: int, weights: dict, minimum: int = 0) -> dict:
    """Split `total` by `weights` (largest remainder), each key getting at least `minimum`."""
    keys = list(weights)
    if minimum * len(keys) > total:
        minimum = 0
    rest = total - minimum * len(keys)
    whole = sum(weights.values())
    raw = {k: rest * weights[k] / whole for k in keys}
    counts = {k: int(raw[k]) for k in keys}
    by_remainder = sorted(keys, key=lambda k: (counts[k] - raw[k], keys.index(k)))
    for k in by_remainder[: rest - sum(counts.values())]:
        counts[k] += 1
    return {k: counts[k] + minimum for k in keys}


def _with_check_digits(inn: str) -> str:
    if len(inn) == 9:
        return inn + inn_check_digit(inn, INN10_WEIGHTS)
    inn += inn_check_digit(inn, INN12_WEIGHTS_11)
    return inn + inn_check_digit(inn, INN12_WEIGHTS_12)


def numbers(region: str, serial: int, year: int, entrepreneur: bool) -> tuple[str, str]:
    """A valid ИНН and ОГРН (ОГРНИП for an entrepreneur) with a 9… serial number."""
    office = f"{region}{serial % 27 + 1:02d}"
    if entrepreneur:
        inn = _with_check_digits(f"{office}9{serial:05d}")
        ogrnip = f"3{year % 100:02d}{region}9{serial:08d}"
        return inn, ogrnip + str(int(ogrnip) % 13 % 10)
    inn = _with_check_digits(f"{office}9{serial:04d}")
    ogrn = f"1{year % 100:02d}{office}9{serial:04d}"
    return inn, ogrn + str(int(ogrn) % 11 % 10)


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


# --- the plan: everything random is drawn here, before any row is written -------------------


@dataclass
class OrgPlan:
    serial: int
    kind: str
    region: str
    full_name: str
    short_name: str
    email: str
    person: tuple[str, str, str]  # last, first, patronymic
    inn: str
    ogrn: str
    address: str
    municipality: str
    phone: str


@dataclass
class AppPlan:
    index: int
    nomination: str
    org: OrgPlan
    scenario: str
    title: str
    fields: dict = field(default_factory=dict)
    regions: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    results: list = field(default_factory=list)
    attach: bool = False
    events: list = field(default_factory=list)  # (when, action)
    comment: str = ""  # the moderator's decision: return or rejection
    checklist: dict | None = None
    notes: dict = field(default_factory=dict)  # field → remark, when returned
    revision: tuple | None = None  # (fields, results) after the remarks are answered
    measured_on: datetime.date | None = None  # when the achieved values were measured


class Planner:
    def __init__(self, edition, size: int, seed: int):
        self.rng = random.Random(seed)
        self.size = size
        self.edition = edition
        stage = edition.stages.filter(kind=StageKind.INTAKE).order_by("starts_at")
        stages = list(stage)
        if not stages:
            raise ValueError(f"edition {edition.year} has no intake stage")
        self.start = min(s.starts_at for s in stages)
        self.end = max(s.ends_at for s in stages)
        self.planned_end = min(s.planned_ends_at for s in stages)
        self.regions = {r.code: r for r in Region.objects.select_related("federal_district")}
        self.orgs: dict[tuple, OrgPlan] = {}
        self.titles: set[str] = set()
        self.days = self._day_weights()

    # when things happen

    def _day_weights(self) -> list[tuple[datetime.date, float]]:
        first = self.start.astimezone(MOSCOW).date()
        last = self.end.astimezone(MOSCOW).date()
        planned = self.planned_end.astimezone(MOSCOW).date()
        span = (last - first).days + 1
        days = []
        for i in range(span):
            day = first + datetime.timedelta(days=i)
            weight = 1.0 + 2.0 * i / span
            if i < 7:
                weight *= 0.5
            if planned < last:
                before = (planned - day).days
                if 0 <= before < 8:
                    weight += 7 * 0.65**before
                elif -3 <= before < 0:
                    weight *= 0.6
            to_end = (last - day).days
            if to_end < 10:
                weight += 10 * 0.7**to_end
            if day.weekday() >= 5:
                weight *= 0.35
            if (day.month, day.day) in {(5, 1), (5, 8), (5, 9), (6, 12)}:
                weight *= 0.4
            days.append((day, weight))
        return days

    def _moment(self, day: datetime.date, late: bool = False) -> datetime.datetime:
        hours = list(range(8, 24))
        weights = [2, 5, 8, 9, 8, 5, 7, 8, 8, 6, 4, 3, 2, 2, 1, 1]
        if late:
            weights = [1, 3, 5, 6, 6, 4, 6, 7, 7, 6, 5, 5, 4, 4, 3, 2]
        hour = self.rng.choices(hours, weights)[0]
        moment = datetime.datetime.combine(
            day, datetime.time(hour, self.rng.randrange(60)), tzinfo=MOSCOW
        )
        return min(max(moment, self.start), self.end - datetime.timedelta(minutes=1))

    def submission_time(self, *, not_after=None, not_before=None) -> datetime.datetime:
        days = [
            (d, w)
            for d, w in self.days
            if (not_after is None or d <= not_after) and (not_before is None or d >= not_before)
        ]
        day = self.rng.choices([d for d, _ in days], [w for _, w in days])[0]
        return self._moment(day, late=day == self.days[-1][0])

    def office_time(self, after, low_hours: float, high_hours: float) -> datetime.datetime:
        """A moderator's moment: `after` plus a delay, moved into weekday office hours."""
        moment = after + datetime.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        moment = moment.astimezone(MOSCOW)
        if moment.hour >= 19:
            moment = (moment + datetime.timedelta(days=1)).replace(hour=9)
        if moment.hour < 9:
            moment = moment.replace(hour=9 + self.rng.randrange(3))
        while moment.weekday() >= 5:
            moment += datetime.timedelta(days=1)
        return moment

    # who applies

    def organisation(self, direction: int, code: str, region_code: str, kind: str) -> OrgPlan:
        rng = self.rng
        region = self.regions[region_code]
        city = REGIONS[region_code][0]
        if region.kind == Region.Kind.FEDERAL_CITY and kind in (
            "local_government",
            "municipal_institution",
        ):
            kind = "state_institution"
        if direction == 1 and kind == "municipal_institution":
            kind = "state_institution"
        adj_m, adj_f = REGION_ADJ[region.kind]
        gen = genitive(region.name)
        bank = NOMINATIONS[code]
        if kind == "regional_executive":
            ministry = "labour" if bank.get("labour") else direction
            key = (kind, region_code, ministry)
            options = MINISTRIES[ministry]
            if region.kind == Region.Kind.FEDERAL_CITY:
                options = options[1:]
            full, short = rng.choice(options)
            full, short = full.format(g=gen), short.format(g=gen)
        elif kind == "local_government":
            full, short = (t.format(c=city) for t in LOCAL[direction])
            key = (kind, region_code, direction)
        elif kind in ("state_institution", "municipal_institution"):
            if kind == "state_institution":
                options = INSTITUTIONS[direction]
                if "institutions" in bank:
                    options = [options[i] for i in bank["institutions"]]
                elif bank.get("labour"):
                    options = options[-1:]
            else:
                options = MUNICIPAL[direction]
            abbr, long, name = rng.choice(options)
            name = name.format(m=adj_m, f=adj_f, n=rng.randint(1, 30))
            full, short = f"{long} «{name}»", f"{abbr} «{name}»"
            key = (kind, region_code, name)
        elif kind == "individual_entrepreneur":
            key = (kind, region_code, len(self.orgs))
            full = short = ""
        else:
            abbr, long, names = NGO_NAMES[kind]
            name = rng.choice(names.get(direction) or names["any"]).format(b=rng.choice(BRANDS))
            full, short = f"{long} «{name}»", f"{abbr} «{name}»"
            key = (kind, region_code, name)
        if key in self.orgs:
            return self.orgs[key]
        serial = len(self.orgs) + 1
        woman = rng.random() < (0.55 if direction == 1 else 0.75)
        last = rng.choice(SURNAMES) + ("а" if woman else "")
        first = rng.choice(WOMEN if woman else MEN)
        patronymic = rng.choice(PATRONYMICS)[1 if woman else 0]
        if kind == "individual_entrepreneur":
            full = f"Индивидуальный предприниматель {last} {first} {patronymic}"
            short = f"ИП {last} {first[0]}. {patronymic[0]}."
        inn, ogrn = numbers(
            region_code, serial, rng.randint(2003, 2021), kind == "individual_entrepreneur"
        )
        local = kind in ("local_government", "municipal_institution")
        plan = OrgPlan(
            serial=serial,
            kind=kind,
            region=region_code,
            full_name=full,
            short_name=short,
            email=f"org{serial:04d}@{INTAKE_DOMAIN}",
            person=(last, first, patronymic),
            inn=inn,
            ogrn=ogrn,
            address=f"г. {city}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}",
            municipality=f"городской округ {city}" if local else "",
            phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-"
            f"{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        )
        self.orgs[key] = plan
        return plan

    # what they write

    def title(self, code: str, region: str) -> str:
        """A title from the nomination's bank, drawn again (a few times) if already used."""
        bank = NOMINATIONS[code]
        for _attempt in range(30):
            core, brand = self.rng.choice(bank["cores"]), self.rng.choice(bank["brands"])
            pattern = self.rng.choices([0, 1, 2, 3, 4], [3, 4, 2, 1, 2])[0]
            title = [
                core,
                f"«{brand}»: {_lower_first(core)}",
                f"{core} «{brand}»",
                f"Проект «{brand}»",
                f"{core}: опыт {genitive(self.regions[region].name)}",
            ][pattern]
            if title not in self.titles:
                break
        self.titles.add(title)
        return title

    def passport(self, app: AppPlan, direction: int, complete: bool) -> None:
        rng, bank, org = self.rng, NOMINATIONS[app.nomination], app.org
        started = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(1370))
        finished = None
        if rng.random() < 0.5:
            finished = min(
                started + datetime.timedelta(days=rng.randint(180, 720)), datetime.date(2023, 3, 31)
            )
        fields = {
            "title": app.title,
            "problem": " ".join(rng.sample(bank["problem"], 2)),
            "solution": " ".join(rng.sample(bank["solution"], rng.randint(1, 2))),
            "implementation": (
                f"Старт — {started:%m.%Y}. "
                + " ".join(sorted(rng.sample(STEPS[direction], 3), key=STEPS[direction].index))
            ),
            "implementation_status": ImplementationStatus.IMPLEMENTED,
            "started_on": started,
            "finished_on": finished,
            "municipalities": rng.choice(
                [
                    "все муниципальные образования региона",
                    f"{org.municipality or 'городской округ ' + REGIONS[org.region][0]}",
                    f"{rng.randint(3, 25)} муниципальных районов и городских округов",
                ]
            ),
            "target_groups": "; ".join(rng.sample(bank["targets"], rng.randint(1, 2))),
            "reach": int(rng.uniform(*bank["reach"]) * (REGIONS[org.region][1] / 2000) ** 0.5)
            // 10
            * 10
            + 10,
            "resources": rng.choice(
                NGO_RESOURCES
                if org.kind
                not in (
                    "regional_executive",
                    "state_institution",
                    "municipal_institution",
                    "local_government",
                )
                else RESOURCES
            ).format(p=PROGRAMMES[direction]),
            "cost": (Decimal(rng.randint(15, 2500) * 10000) if rng.random() < 0.6 else None),
            "team": "Рабочая группа: " + ", ".join(rng.sample(TEAM_ROLES[direction], 3)) + ".",
            "replication_potential": rng.choice(REPLICATION).format(w=INSTITUTION_WORDS[direction]),
            "replication_conditions": rng.choice(CONDITIONS) if rng.random() < 0.6 else "",
            "links": "",
        }
        regions = [org.region]
        if rng.random() < 0.1:
            district = self.regions[org.region].federal_district_id
            neighbours = sorted(
                c
                for c, r in self.regions.items()
                if r.federal_district_id == district and c != org.region
            )
            regions += rng.sample(neighbours, min(2, len(neighbours)))
        projects = [bank["np"][0]] + [p for p in bank["np"][1:] if rng.random() < 0.5]
        app.measured_on = finished or datetime.date(2023, rng.choice([1, 4]), 1)
        results = [
            self.result(row, started, app.measured_on)
            for row in rng.sample(bank["results"], rng.randint(1, 3))
        ]
        if not complete:  # a passport still being filled
            keep = rng.randint(0, 3)
            for name in list(fields)[1 + keep * 3 :]:
                if name != "title":
                    fields[name] = (
                        None if name in ("started_on", "finished_on", "reach", "cost") else ""
                    )
            if keep < 3:
                results, projects = [], []
            if keep < 2:
                regions = []
        app.fields, app.regions, app.projects, app.results = fields, regions, projects, results

    def result(self, row, started, measured_on) -> dict:
        """One measurable result: counts are whole, shares and small values have a decimal."""
        indicator, unit, low, high, f_low, f_high = row
        baseline = self.rng.uniform(low, high)
        achieved = baseline * self.rng.uniform(f_low, f_high)
        if unit == "%":
            achieved = min(achieved, 99.5)
        whole = baseline >= 20 and unit not in ("%", "млн руб.")
        places = Decimal("1") if whole else Decimal("0.1")
        baseline_date = started.replace(day=1)
        return {
            "indicator": indicator,
            "unit": unit,
            "baseline_value": Decimal(str(baseline)).quantize(places),
            "baseline_date": baseline_date,
            "achieved_value": Decimal(str(achieved)).quantize(places),
            "achieved_date": max(measured_on, baseline_date),
        }

    # the whole intake

    def plan(self, nominations: dict[str, int]) -> list[AppPlan]:
        """`nominations`: code → direction number, for the nominations of the edition."""
        rng, size = self.rng, self.size
        by_direction = apportion(
            size, {d: w for d, w in DIRECTION_SHARES.items() if d in nominations.values()}
        )
        slots = []
        for direction, count in by_direction.items():
            codes = [c for c, d in sorted(nominations.items()) if d == direction]
            for code, n in apportion(count, {c: 1 for c in codes}, minimum=1).items():
                slots += [(direction, code)] * n
        rng.shuffle(slots)
        regions = self.region_list()
        scenarios = [s for s, n in apportion(size, SCENARIOS, minimum=1).items() for _ in range(n)]
        rng.shuffle(scenarios)
        apps, places = [], {}
        for index, ((direction, code), region, scenario) in enumerate(
            zip(slots, regions, scenarios, strict=True)
        ):
            kinds = KIND_WEIGHTS[direction]
            kind = rng.choices(list(kinds), list(kinds.values()))[0]
            pool = places.setdefault((region, direction), [])
            if pool and rng.random() < REPEAT_SHARE:  # one more practice of the same applicant
                org = rng.choice(pool)
            else:
                org = self.organisation(direction, code, region, kind)
                if org not in pool:
                    pool.append(org)
            app = AppPlan(
                index=index,
                nomination=code,
                org=org,
                scenario=scenario,
                title=self.title(code, region),
            )
            complete = scenario != "draft" or rng.random() < 0.3
            self.passport(app, direction, complete)
            app.attach = complete and rng.random() < 0.25
            self.schedule(app)
            apps.append(app)
        return apps

    def region_list(self) -> list[str]:
        weights = {code: REGIONS[code][1] ** 0.75 for code in sorted(self.regions)}
        counts = apportion(self.size, weights)
        must = [*NEW_REGIONS]
        by_district: dict[str, list[str]] = {}
        for code in sorted(self.regions):
            by_district.setdefault(self.regions[code].federal_district_id, []).append(code)
        for codes in by_district.values():
            if not any(counts[c] for c in codes):
                must.append(max(codes, key=lambda c: weights[c]))
        for code in must:
            if counts[code] == 0 and self.size >= 20:
                donor = max(counts, key=lambda c: counts[c])
                counts[donor] -= 1
                counts[code] += 1
        regions = [code for code, n in counts.items() for _ in range(n)]
        self.rng.shuffle(regions)
        return regions

    def schedule(self, app: AppPlan) -> None:
        """The dated steps of one application, from its scenario."""
        rng, hour = self.rng, datetime.timedelta(hours=1)
        last_day = self.days[-1][0]
        scenario = app.scenario
        if scenario in ("admitted_after_return", "returned", "resubmitted"):
            latest = {"admitted_after_return": 22, "resubmitted": 12, "returned": 8}[scenario]
            earliest = {"returned": 16, "resubmitted": 20}.get(scenario, 400)
            submitted = self.submission_time(
                not_after=last_day - datetime.timedelta(days=latest),
                not_before=last_day - datetime.timedelta(days=earliest),
            )
        elif scenario == "submitted":
            submitted = self.submission_time(not_before=last_day - datetime.timedelta(days=1))
        elif scenario == "in_moderation":
            submitted = self.submission_time(not_before=last_day - datetime.timedelta(days=6))
        else:
            submitted = self.submission_time()
        created = max(
            self.start + hour, submitted - datetime.timedelta(hours=rng.uniform(2, 24 * 20))
        )
        created = min(created, submitted - datetime.timedelta(minutes=20))
        events = app.events
        events.append((created, "create"))
        filled = created + (submitted - created) * rng.uniform(0.3, 0.9)
        events.append((filled, "fill"))
        if app.attach:
            events.append((filled + (submitted - filled) / 2, "attach"))
        if scenario == "draft":
            return
        events.append((submitted, "submit"))
        if scenario == "submitted":
            return
        if scenario == "withdrawn" and rng.random() < 0.4:
            events.append((submitted + datetime.timedelta(hours=rng.uniform(1, 48)), "withdraw"))
            return
        taken = self.office_time(submitted, 2, 24 * 5)
        events.append((taken, "take"))
        if scenario == "in_moderation":
            return
        decided = self.office_time(taken, 0.2, 24 * 2)
        if scenario == "admitted":
            events.append((decided, "admit"))
        elif scenario == "rejected":
            events.append((decided, "reject"))
            item = rng.choice(sorted(REJECTIONS))
            app.comment, app.checklist = REJECTIONS[item], {**ALL_YES, item: False}
        elif scenario == "withdrawn":
            events.append((decided + datetime.timedelta(hours=rng.uniform(2, 72)), "withdraw"))
        else:
            events.append((decided, "return"))
            self.returned(app)
            if scenario == "returned":
                return
            revised = decided + datetime.timedelta(hours=rng.uniform(3, 24 * 6))
            resubmitted = min(
                revised + datetime.timedelta(hours=rng.uniform(0.5, 30)),
                self.end - datetime.timedelta(minutes=5),
            )
            revised = min(revised, resubmitted - datetime.timedelta(minutes=10))
            events += [(revised, "revise"), (resubmitted, "resubmit")]
            if scenario == "resubmitted":
                return
            taken = self.office_time(resubmitted, 1, 24 * 3)
            events += [(taken, "take"), (self.office_time(taken, 0.2, 24), "admit")]

    def returned(self, app: AppPlan) -> None:
        """The moderator's remarks, and the passport as the applicant revises it."""
        chosen = self.rng.sample(sorted(RETURN_NOTES), self.rng.randint(1, 2))
        app.comment = self.rng.choice(RETURN_COMMENTS)
        app.notes = {name: RETURN_NOTES[name][0] for name in chosen}
        fields, results = dict(app.fields), list(app.results)
        for name in chosen:
            if name == "results":
                used = {r["indicator"] for r in results}
                row = next(r for r in NOMINATIONS[app.nomination]["results"] if r[0] not in used)
                results.append(self.result(row, fields["started_on"], app.measured_on))
            else:
                fields[name] = f"{fields[name]} {RETURN_NOTES[name][1]}".strip()
        app.revision = (fields, results)
