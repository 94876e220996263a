"""Opening hours: "open now" in the place's time zone, correct across midnight."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dandelion.stations.hours import DayException, WeeklyHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(y, m, d, hh, mm=0, tz=SHANGHAI):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


# 2026-11-16 is a Monday.
MONDAY = date(2026, 11, 16)


def hours(intervals, *, is_24h=False, exceptions=()):
    return WeeklyHours.build(is_24h=is_24h, intervals=intervals, exceptions=exceptions)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 16, 8, 59), False),
        (at(2026, 11, 16, 9, 0), True),  # opening minute is open
        (at(2026, 11, 16, 17, 59), True),
        (at(2026, 11, 16, 18, 0), False),  # closing minute is closed
        (at(2026, 11, 22, 10, 0), False),  # Sunday: no interval
    ],
)
def test_daytime_interval_edges(moment, expected):
    h = hours([(d, time(9), time(18)) for d in range(5)])
    assert h.is_open_at(moment, SHANGHAI) is expected


def test_answer_is_in_the_places_time_zone_not_utc():
    h = hours([(0, time(9), time(18))])
    # 01:30 UTC on Monday is 09:30 in Shanghai: open.
    assert h.is_open_at(datetime(2026, 11, 16, 1, 30, tzinfo=UTC), SHANGHAI)
    # 12:00 UTC Monday is 20:00 Shanghai: closed, though it is "daytime" in UTC.
    assert not h.is_open_at(datetime(2026, 11, 16, 12, 0, tzinfo=UTC), SHANGHAI)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 20, 21, 0), True),  # Friday evening
        (at(2026, 11, 21, 1, 59), True),  # Saturday small hours: Friday's interval
        (at(2026, 11, 21, 2, 0), False),
        (at(2026, 11, 21, 12, 0), False),
        (at(2026, 11, 16, 1, 0), False),  # Monday 01:00: Sunday has no interval
    ],
)
def test_overnight_interval_belongs_to_the_day_it_starts(moment, expected):
    h = hours([(4, time(18), time(2))])  # Friday 18:00 → Saturday 02:00
    assert h.is_open_at(moment, SHANGHAI) is expected


def test_overnight_sunday_wraps_to_monday():
    h = hours([(6, time(20), time(3))])
    assert h.is_open_at(at(2026, 11, 16, 2, 30), SHANGHAI)  # Monday 02:30


def test_interval_ending_at_midnight():
    h = hours([(0, time(8), time(0))])  # Monday 08:00 → 24:00
    assert h.is_open_at(at(2026, 11, 16, 23, 59), SHANGHAI)
    assert not h.is_open_at(at(2026, 11, 17, 0, 0), SHANGHAI)


def test_split_day_with_lunch_break():
    h = hours([(0, time(8), time(12)), (0, time(14), time(20))])
    assert h.is_open_at(at(2026, 11, 16, 11, 0), SHANGHAI)
    assert not h.is_open_at(at(2026, 11, 16, 13, 0), SHANGHAI)
    assert h.is_open_at(at(2026, 11, 16, 14, 0), SHANGHAI)


def test_24_hours_is_always_open_unless_an_exception_closes_it():
    closed = DayException(MONDAY, closed=True)
    h = hours([], is_24h=True, exceptions=[closed])
    assert h.is_open_at(at(2026, 11, 17, 3, 0), SHANGHAI)
    assert not h.is_open_at(at(2026, 11, 16, 12, 0), SHANGHAI)


def test_closed_exception_replaces_the_weekly_hours_of_that_date():
    h = hours(
        [(d, time(9), time(18)) for d in range(7)], exceptions=[DayException(MONDAY, closed=True)]
    )
    assert not h.is_open_at(at(2026, 11, 16, 10, 0), SHANGHAI)
    assert h.is_open_at(at(2026, 11, 17, 10, 0), SHANGHAI)


def test_holiday_with_short_hours():
    h = hours(
        [(d, time(9), time(18)) for d in range(7)],
        exceptions=[DayException(MONDAY, closed=False, opens=time(10), closes=time(14))],
    )
    assert not h.is_open_at(at(2026, 11, 16, 9, 30), SHANGHAI)
    assert h.is_open_at(at(2026, 11, 16, 13, 0), SHANGHAI)
    assert not h.is_open_at(at(2026, 11, 16, 15, 0), SHANGHAI)


def test_closed_day_keeps_the_overnight_tail_of_the_day_before():
    sunday = date(2026, 11, 15)
    h = hours([(6, time(20), time(3))], exceptions=[DayException(MONDAY, closed=True)])
    assert h.is_open_at(at(2026, 11, 16, 1, 0), SHANGHAI)  # Sunday's interval
    assert not h.is_open_at(at(2026, 11, 16, 20, 30), SHANGHAI)
    h2 = hours([(6, time(20), time(3))], exceptions=[DayException(sunday, closed=True)])
    assert not h2.is_open_at(at(2026, 11, 16, 1, 0), SHANGHAI)  # Sunday itself closed


def test_next_change_finds_the_closing_and_opening_times():
    h = hours([(d, time(9), time(18)) for d in range(5)])
    assert h.next_change(at(2026, 11, 16, 10, 0), SHANGHAI) == at(2026, 11, 16, 18, 0)
    # Friday evening → opens again Monday 09:00.
    assert h.next_change(at(2026, 11, 20, 19, 0), SHANGHAI) == at(2026, 11, 23, 9, 0)
    assert hours([], is_24h=True).next_change(at(2026, 11, 16, 10, 0), SHANGHAI) is None


def test_next_change_across_midnight():
    h = hours([(4, time(18), time(2))])
    assert h.next_change(at(2026, 11, 20, 23, 0), SHANGHAI) == at(2026, 11, 21, 2, 0)
