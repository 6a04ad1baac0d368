"""Hand-made number sets in the shape `summary.numbers_for` returns (no database needed)."""

REGIONS = {
    code: {"name": name, "kind": kind}
    for code, name, kind in [
        ("16", "Республика Татарстан", "republic"),
        ("50", "Московская область", "oblast"),
        ("52", "Нижегородская область", "oblast"),
        ("54", "Новосибирская область", "oblast"),
        ("65", "Сахалинская область", "oblast"),
        ("66", "Свердловская область", "oblast"),
        ("74", "Челябинская область", "oblast"),
        ("77", "Москва", "federal_city"),
        ("78", "Санкт-Петербург", "federal_city"),
        ("89", "Ямало-Ненецкий автономный округ", "autonomous_okrug"),
        ("93", "Донецкая Народная Республика", "republic"),
        ("94", "Луганская Народная Республика", "republic"),
    ]
}


def practice(title, region, votes, regions, *, multiple=None, unusual=(), top=None, districts=()):
    """A practice row; its top regions are those with at least 2 votes, most first."""
    ranked = sorted(regions.items(), key=lambda item: (-item[1], item[0]))
    return {
        "title": title,
        "organization": "",
        "region": region,
        "votes": votes,
        "excluded": 0,
        "rank": 1,
        "multiple": multiple,
        "regions": dict(ranked),
        "top_regions": top if top is not None else [c for c, n in ranked[:5] if n >= 2],
        "unusual": list(unusual),
        "districts": list(districts),
        "new_regions": {c: n for c, n in regions.items() if c in {"93", "94", "90", "95"}},
    }


def section(title, practices, *, top_multiple=None):
    return {
        "title": title,
        "votes": sum(p["votes"] for p in practices),
        "practices": practices,
        "top_multiple": top_multiple,
    }


def numbers(*, sections=(), voters=0, active=(), new_regions=None, applications=(), **extra):
    apps = [{"title": t, "count": n} for t, n in applications]
    data = {
        "edition": 2023,
        "contest": "Смарт Диалог",
        "computed_at": "2023-12-09T10:00:00+00:00",
        "window": {"opens": "2023-11-07", "closes": "2023-12-08", "closed": True},
        "voters": voters,
        "votes": sum(s["votes"] for s in sections),
        "excluded": 0,
        "active_regions": [{"region": c, "voters": n} for c, n in active],
        "new_regions": new_regions or {},
        "sections": list(sections),
        "regions": REGIONS,
        "applications": {"total": sum(n for _t, n in applications), "directions": apps},
    }
    data.update(extra)
    return data


def seed_004():
    """The 2023 vote as seed 004 describes it."""
    return numbers(
        voters=30412,
        active=[("77", 4000), ("54", 3000), ("66", 2900), ("74", 2800), ("78", 2700), ("16", 2600)],
        new_regions={"93": 40, "94": 12},
        sections=[
            section(
                "Здравоохранение",
                [
                    practice(
                        "Поликлиника: перезагрузка",
                        "50",
                        6640,
                        {"78": 1130, "77": 592, "74": 312, "16": 305, "66": 237, "93": 30, "94": 9},
                        multiple=9.6,
                    ),
                    practice("Smart-маршрутизация", "52", 700, {"52": 689, "93": 8, "94": 3}),
                    practice("Третья", "77", 660, {"77": 660}),
                ],
                top_multiple={
                    "regions": ["78", "77", "74", "16", "66"],
                    "leader": 2576,
                    "others_mean": 510.0,
                    "ratio": 5.051,
                },
            ),
            section(
                "Социальная политика",
                [
                    practice(
                        "Социальный навигатор",
                        "89",
                        4130,
                        {"78": 900, "77": 700, "93": 200, "16": 150},
                        multiple=2.49,
                    ),
                    practice("Другая", "77", 1659, {"77": 1659}),
                ],
            ),
            section(
                "Образование",
                [
                    practice(
                        "Школа управленческого мастерства для нового поколения педагогов",
                        "78",
                        2530,
                        {"78": 900, "54": 500},
                        multiple=1.05,
                        districts=["capitals", "siberian", "ural", "volga"],
                    ),
                    practice(
                        "Цифровые сервисы. Мониторинг удовлетворенности образованием",
                        "65",
                        2400,
                        {"65": 800, "66": 300},
                        districts=["far_eastern", "siberian", "capitals", "ural"],
                    ),
                ],
            ),
        ],
        applications=[
            ("Социальная политика", 328),
            ("Образование", 193),
            ("Здравоохранение", 87),
        ],
    )
