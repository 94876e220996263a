"""Opening hours and dated exceptions of the demo city, as plain values.

Weekly intervals follow the stations model: (weekday, opens, closes), weekday 0 = Monday,
`closes <= opens` runs past midnight. Exceptions fall on a fixed calendar (the 2026 and 2027
holidays) so that the same seed gives the same dates whatever day the demo is loaded.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

Interval = tuple[int, time, time]

WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)

# The holiday calendar the exceptions use (dates of the 2026 and 2027 festivals).
DRAGON_BOAT_2026 = date(2026, 6, 19)  # 端午节
MID_AUTUMN_2026 = date(2026, 9, 25)  # 中秋节
NATIONAL_DAY_2026 = tuple(date(2026, 10, day) for day in range(1, 8))  # 国庆节
NEW_YEAR_2027 = date(2027, 1, 1)  # 元旦
LUNAR_NEW_YEARS_EVE_2027 = date(2027, 2, 5)  # 除夕
SPRING_FESTIVAL_2027 = (date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8))  # 春节


@dataclass(frozen=True)
class ExceptionSpec:
    day: date
    closed: bool
    opens: time | None = None
    closes: time | None = None
    note: str = ""


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _on(days: tuple[int, ...], *spans: str) -> list[Interval]:
    """Intervals on `days`, each span written "08:00-20:00"."""
    out = []
    for day in days:
        for span in spans:
            opens, closes = span.split("-")
            out.append((day, _t(opens), _t(closes)))
    return out


HOURS_TEMPLATES: dict[str, tuple[Interval, ...]] = {
    "day": tuple(_on(EVERY_DAY, "08:00-20:00")),
    "long_day": tuple(_on(EVERY_DAY, "07:00-22:00")),
    "weekend_short": tuple(_on(WEEKDAYS, "08:00-20:00") + _on(WEEKEND, "09:00-18:00")),
    "office_lunch_break": tuple(
        _on(WEEKDAYS, "08:30-12:00", "14:00-18:00") + _on(WEEKEND, "09:00-17:00")
    ),
    "rider_shifts": tuple(_on(EVERY_DAY, "10:00-14:00", "17:00-01:00")),
    "night_owl": tuple(_on(EVERY_DAY, "08:00-12:00", "18:00-02:00")),
    "early_courier": tuple(_on(WEEKDAYS, "06:30-20:30") + _on(WEEKEND, "07:30-19:00")),
    "bank": tuple(_on(WEEKDAYS, "09:00-17:00") + _on(WEEKEND, "09:00-16:00")),
    "telecom": tuple(_on(EVERY_DAY, "09:00-21:00")),
    "shop": tuple(_on(EVERY_DAY, "09:00-22:00")),
    "breakfast": tuple(_on(EVERY_DAY, "06:30-13:30")),
    "late_supper": tuple(_on(EVERY_DAY, "17:00-02:00")),
    "mall": tuple(_on((0, 1, 2, 3, 6), "10:00-22:00") + _on((4, 5), "10:00-22:30")),
}

# Which templates each kind of place draws from, with weights.
STATION_TEMPLATES: dict[str, dict[str, int]] = {
    "comprehensive": {"day": 5, "long_day": 2, "weekend_short": 3, "office_lunch_break": 2},
    "rider_home": {"long_day": 3, "rider_shifts": 4, "night_owl": 2, "day": 1},
    "driver_home": {"long_day": 4, "night_owl": 2, "day": 1},
    "courier": {"early_courier": 4, "long_day": 2, "day": 1},
    "other": {"day": 3, "weekend_short": 2, "office_lunch_break": 1},
    "partner_bank": {"bank": 1},
    "partner_telecom": {"telecom": 1},
}
PARTNER_TEMPLATES: dict[str, dict[str, int]] = {
    "caring_merchant": {"shop": 5, "breakfast": 2, "late_supper": 2, "long_day": 1},
    "service_corner": {"mall": 3, "day": 2, "telecom": 1},
}


def pick_template(rng: random.Random, weights: dict[str, int]) -> tuple[Interval, ...]:
    names = sorted(weights)
    name = rng.choices(names, weights=[weights[n] for n in names])[0]
    return HOURS_TEMPLATES[name]


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def station_exceptions(
    rng: random.Random, *, origin: str, kind: str, is_24h: bool
) -> tuple[ExceptionSpec, ...]:
    """Holiday closures and shortened days by who hosts the station; a rare temporary closure.

    Banks shorten National Day and close for the Spring Festival; community stations may close
    for National Day; some riders' homes stay open late on Lunar New Year's Eve, when riders work.
    """
    out: list[ExceptionSpec] = []
    if origin == "partner_bank":
        out += [
            ExceptionSpec(d, False, _t("10:00"), _t("16:00"), "国庆假期缩短营业时间")
            for d in NATIONAL_DAY_2026[:3]
        ]
        out += [ExceptionSpec(d, True, note="春节假期闭站") for d in SPRING_FESTIVAL_2027[:2]]
    elif origin == "partner_telecom":
        out.append(ExceptionSpec(SPRING_FESTIVAL_2027[0], True, note="正月初一闭店"))
    elif kind == "comprehensive" and not is_24h:
        if rng.random() < 0.35:
            out += [ExceptionSpec(d, True, note="国庆假期闭站") for d in NATIONAL_DAY_2026[:3]]
        if rng.random() < 0.3:
            out.append(
                ExceptionSpec(
                    LUNAR_NEW_YEARS_EVE_2027, False, _t("08:00"), _t("12:00"), "除夕缩短开放"
                )
            )
    elif kind == "rider_home" and not is_24h and rng.random() < 0.3:
        out.append(
            ExceptionSpec(
                LUNAR_NEW_YEARS_EVE_2027, False, _t("08:00"), _t("02:00"), "除夕夜延时开放"
            )
        )
    if rng.random() < 0.05:
        first = date(2026, 7, rng.randint(6, 24))
        out += [ExceptionSpec(d, True, note="设施检修，临时闭站") for d in _days(first, 2)]
    return tuple(out)


def partner_exceptions(rng: random.Random, *, kind: str) -> tuple[ExceptionSpec, ...]:
    if kind == "caring_merchant" and rng.random() < 0.4:
        return tuple(ExceptionSpec(d, True, note="春节歇业") for d in SPRING_FESTIVAL_2027)
    if kind == "service_corner" and rng.random() < 0.25:
        return (
            ExceptionSpec(
                LUNAR_NEW_YEARS_EVE_2027, False, _t("10:00"), _t("17:00"), "除夕提前闭店"
            ),
        )
    return ()
