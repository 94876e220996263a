"""Opening hours: "open now" in the place's time zone, correct across midnight."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_unchanged_until_stops_at_the_next_boundary_of_the_day():
    h = hours([(0, time(9), time(12)), (0, time(14), time(18)), (6, time(22), time(2))])
    assert h.unchanged_until(at(2026, 11, 16, 0, 30), SHANGHAI) == at(2026, 11, 16, 2, 0)
    assert h.unchanged_until(at(2026, 11, 16, 10, 0), SHANGHAI) == at(2026, 11, 16, 12, 0)
    assert h.unchanged_until(at(2026, 11, 16, 12, 0), SHANGHAI) == at(2026, 11, 16, 14, 0)
    assert h.unchanged_until(at(2026, 11, 16, 19, 0), SHANGHAI) == at(2026, 11, 17, 0, 0)
    assert hours([], is_24h=True).unchanged_until(at(2026, 11, 16, 10, 0), SHANGHAI) == at(
        2026, 11, 17, 0, 0
    )


def test_unchanged_until_carries_nothing_across_a_daylight_saving_change():
    new_york = ZoneInfo("America/New_York")
    h = hours([(6, time(1), time(4))])  # Sunday 2026-03-08: 02:00 becomes 03:00
    before = datetime(2026, 3, 8, 0, 30, tzinfo=new_york)
    assert h.unchanged_until(before, new_york) == datetime(2026, 3, 8, 1, 0, tzinfo=new_york)
    moment = datetime(2026, 3, 8, 1, 30, tzinfo=new_york)  # the next boundary is past 02:00
    assert h.unchanged_until(moment, new_york) == moment
    skipped = hours([(6, time(2, 30), time(4))])  # opens at a wall time that never comes
    assert skipped.unchanged_until(before, new_york) == before


ZONES = [SHANGHAI, ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), UTC]
clock = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def weekly_hours(draw):
    intervals = draw(st.lists(st.tuples(st.integers(0, 6), clock, clock), max_size=6))
    exceptions = draw(
        st.lists(
            st.builds(
                lambda day, closed, opens, closes: DayException(
                    MONDAY + timedelta(days=day), closed, None if closed else opens, closes
                ),
                st.integers(-3, 9),
                st.booleans(),
                clock,
                clock,
            ),
            max_size=3,
        )
    )
    return hours(
        [(d, o, c) for d, o, c in intervals if o != c],
        is_24h=draw(st.booleans()),
        exceptions=exceptions,
    )


@settings(max_examples=300, deadline=None)
@given(
    h=weekly_hours(),
    tz=st.sampled_from(ZONES),
    # Around MONDAY's exceptions, and across the spring and autumn clock changes of 2026.
    start=st.sampled_from(
        [
            datetime(2026, 11, 14),
            datetime(2026, 3, 7),
            datetime(2026, 3, 28),
            datetime(2026, 10, 24),
        ]
    ).flatmap(
        lambda day: st.datetimes(
            min_value=day, max_value=day + timedelta(days=9), timezones=st.just(UTC)
        )
    ),
    fractions=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=20),
)
def test_the_answer_holds_until_unchanged_until(h, tz, start, fractions):
    until = h.unchanged_until(start, tz)
    assert until >= start
    assert until - start <= timedelta(days=1)
    state = h.is_open_at(start, tz)
    if until == start:
        return  # a UTC-offset change is on the way: nothing to hold
    last = until - timedelta(microseconds=1)
    # (A fraction near 1 can round up to `until` itself, which is outside.)
    for moment in [min(start + (until - start) * f, last) for f in fractions] + [last]:
        assert h.is_open_at(moment, tz) == state, moment
