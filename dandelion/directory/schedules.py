"""A place's opening hours as HSDS schedules, and back.

The rules a reader needs to get the place's own "open at" answers from its schedules (also in
docs/hsds.md):
- A weekly schedule (`freq` WEEKLY, no `valid_from`/`valid_to`) opens at `opens_at` on each day
  of `byday`. A `closes_at` at or before `opens_at` closes on the next day (20:00–02:00).
- Open 24 hours: one weekly schedule on all seven days with `opens_at` = `closes_at` = 00:00.
- A dated exception is a schedule with `valid_from` = `valid_to` = `dtstart` (and `count` 1).
  The exceptions of a date replace every weekly schedule of that date; one without `opens_at`
  closes the whole date. An overnight interval of the day before still runs into it.
- `timezone` is the place's UTC offset in hours, as HSDS 3.1 has it; times are local.
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dandelion.stations.selectors import (
    DayException,
    WeeklyHours,
    place_hours,
    place_timezone,
)

from .ids import hsds_id

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MIDNIGHT = "00:00"


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M:%S") if value.second else value.strftime("%H:%M")


def _offset_hours(tz: ZoneInfo, day: date) -> float | int:
    offset = datetime.combine(day, time(12), tz).utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0
    return int(hours) if hours == int(hours) else hours


def place_schedules(place, *, location_id: str, kind: str, today: date) -> list[dict]:
    """The schedules of a place loaded with `places_for_directory`: its week, then its dated
    exceptions in date order."""
    hours = place_hours(place)
    tz = place_timezone(place)
    offset = _offset_hours(tz, today)
    key = (kind, place.uuid)
    schedules: list[dict] = []
    if hours.is_24h:
        schedules.append(
            {
                "id": hsds_id("schedule", *key, "24h"),
                "location_id": location_id,
                "timezone": offset,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(BYDAY),
                "opens_at": MIDNIGHT,
                "closes_at": MIDNIGHT,
                "description": "24 小时开放 (open 24 hours)",
            }
        )
    else:
        days_by_interval: dict[tuple[time, time], list[int]] = {}
        for weekday, intervals in sorted(hours.weekly.items()):
            for interval in intervals:
                days_by_interval.setdefault((interval.opens, interval.closes), []).append(weekday)
        for (opens, closes), days in sorted(days_by_interval.items()):
            overnight = closes <= opens
            schedules.append(
                {
                    "id": hsds_id("schedule", *key, "week", opens, closes),
                    "location_id": location_id,
                    "timezone": offset,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ",".join(BYDAY[d] for d in days),
                    "opens_at": _hhmm(opens),
                    "closes_at": _hhmm(closes),
                    "description": (
                        f"{_hhmm(opens)}–次日 {_hhmm(closes)} (closes the next day)"
                        if overnight
                        else f"{_hhmm(opens)}–{_hhmm(closes)}"
                    ),
                }
            )
    for day, exceptions in sorted(hours.exceptions.items()):
        for index, exception in enumerate(exceptions):
            schedule = {
                "id": hsds_id("schedule", *key, "date", day, index),
                "location_id": location_id,
                "timezone": _offset_hours(tz, day),
                "freq": "WEEKLY",
                "byday": BYDAY[day.weekday()],
                "count": 1,
                "dtstart": day.isoformat(),
                "valid_from": day.isoformat(),
                "valid_to": day.isoformat(),
            }
            if exception.closed or exception.opens is None or exception.closes is None:
                schedule["description"] = "全天关闭 (closed all day)"
            else:
                schedule["opens_at"] = _hhmm(exception.opens)
                schedule["closes_at"] = _hhmm(exception.closes)
                schedule["description"] = f"{_hhmm(exception.opens)}–{_hhmm(exception.closes)}"
            schedules.append(schedule)
    return schedules


def _time(value: str) -> time:
    return time.fromisoformat(value)


def weekly_hours_from_schedules(schedules: Iterable[dict]) -> WeeklyHours:
    """The opening hours HSDS schedules written by `place_schedules` describe, as the stations'
    `hours.WeeklyHours` (what a reader following the rules above gets)."""
    is_24h = False
    intervals: list[tuple[int, time, time]] = []
    exceptions: list = []
    for schedule in schedules:
        if schedule.get("valid_from") and schedule.get("valid_from") == schedule.get("valid_to"):
            day = date.fromisoformat(schedule["valid_from"])
            if schedule.get("opens_at") and schedule.get("closes_at"):
                opens, closes = _time(schedule["opens_at"]), _time(schedule["closes_at"])
                exceptions.append(DayException(day, False, opens, closes))
            else:
                exceptions.append(DayException(day, True))
            continue
        days = [BYDAY.index(d) for d in schedule.get("byday", "").split(",") if d]
        opens, closes = _time(schedule["opens_at"]), _time(schedule["closes_at"])
        if opens == closes and len(days) == 7:
            is_24h = True
            continue
        intervals += [(d, opens, closes) for d in days]
    return WeeklyHours.build(is_24h=is_24h, intervals=intervals, exceptions=exceptions)
