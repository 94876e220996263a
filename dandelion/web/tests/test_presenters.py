"""How the pages word opening hours: given a station's hours, when shown, then these words."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dandelion.regions.models import Region
from dandelion.stations.hours import Interval
from dandelion.stations.selectors import station_get
from dandelion.stations.services import place_add_exception, station_update
from dandelion.web import presenters

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2025, 3, 3)  # a Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def test_interval_text_writes_overnight_and_midnight_closings():
    assert presenters.interval_text(time(9), time(18)) == "09:00–18:00"
    assert presenters.interval_text(time(18), time(2)) == "18:00–次日02:00"
    assert presenters.interval_text(time(22), time(0)) == "22:00–24:00"


def test_day_text_for_all_day_closed_and_split_days():
    assert presenters.day_text(None) == "24小时"
    assert presenters.day_text(()) == "休息"
    split = (Interval(time(8), time(12)), Interval(time(14), time(18)))
    assert presenters.day_text(split) == "08:00–12:00、14:00–18:00"


@pytest.fixture
def weekday_station(make_station):
    return make_station(hours=[(d, time(9), time(18)) for d in range(5)])


def loaded(station, moment):
    return station_get(station_id=station.pk, moment=moment)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "badge", "today", "next_change"),
    [
        (at(MONDAY, 10), "营业中", "09:00–18:00", "18:00 打烊"),
        (at(MONDAY, 7), "休息中", "09:00–18:00", "09:00 开门"),
        (at(MONDAY, 20), "休息中", "09:00–18:00", "明天 09:00 开门"),
        (at(date(2025, 3, 7), 20), "休息中", "09:00–18:00", "星期一 09:00 开门"),
        (at(date(2025, 3, 8), 12), "休息中", "休息", "星期一 09:00 开门"),
    ],
)
def test_open_state_says_when_it_next_opens_or_closes(
    weekday_station, moment, badge, today, next_change
):
    state = presenters.open_state(loaded(weekday_station, moment), moment=moment)

    assert (state.badge, state.today, state.next_change) == (badge, today, next_change)
    assert state.is_open == (badge == "营业中")


@pytest.mark.django_db
def test_open_state_of_a_24_hour_station_has_no_next_change(make_station):
    station = make_station()
    state = presenters.open_state(loaded(station, at(MONDAY, 3)), moment=at(MONDAY, 3))

    assert (state.is_open, state.today, state.next_change) == (True, "24小时", "")


@pytest.mark.django_db
def test_a_suspended_station_shows_its_status_not_its_hours(make_station):
    station = station_update(station=make_station(), status="suspended")
    state = presenters.open_state(loaded(station, at(MONDAY, 10)), moment=at(MONDAY, 10))

    assert (state.is_open, state.badge) == (False, "暂停")


@pytest.mark.django_db
def test_overnight_hours_count_after_midnight(make_station):
    station = make_station(hours=[(0, time(18), time(2))])
    moment = at(date(2025, 3, 4), 1)  # Tuesday 01:00, inside Monday's interval

    state = presenters.open_state(loaded(station, moment), moment=moment)

    assert (state.is_open, state.next_change) == (True, "02:00 打烊")


@pytest.mark.django_db
def test_week_rows_show_the_regular_week_and_mark_today(make_station):
    station = make_station(hours=[(d, time(18), time(2)) for d in range(5)])
    place_add_exception(place=station, day=MONDAY, closed=True, note="检修")

    rows = presenters.week_rows(loaded(station, at(MONDAY, 10)), today=MONDAY)

    assert [r.label for r in rows] == [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ]
    assert rows[0].hours == "18:00–次日02:00"  # the exception is listed apart, not here
    assert rows[6].hours == "休息"
    assert [r.is_today for r in rows] == [True] + [False] * 6


@pytest.mark.django_db
def test_week_rows_of_a_24_hour_station(make_station):
    rows = presenters.week_rows(loaded(make_station(), at(MONDAY, 10)), today=MONDAY)

    assert {r.hours for r in rows} == {"24小时"}


@pytest.mark.django_db
def test_exception_rows_from_today_on(weekday_station):
    place_add_exception(place=weekday_station, day=date(2025, 3, 2), closed=True)  # yesterday
    place_add_exception(place=weekday_station, day=date(2025, 3, 5), closed=True, note="消防检查")
    place_add_exception(
        place=weekday_station, day=date(2025, 3, 8), closed=False, opens=time(10), closes=time(1)
    )

    rows = presenters.exception_rows(loaded(weekday_station, at(MONDAY, 10)), today=MONDAY)

    assert [(r.label, r.hours, r.note, r.closed) for r in rows] == [
        ("3月5日 星期三", "全天休息", "消防检查", True),
        ("3月8日 星期六", "10:00–次日01:00", "", False),
    ]


@pytest.mark.django_db
def test_region_options_nearest_first_and_only_with_a_centre(jiujiang):
    regions = Region.objects.select_related("parent").order_by("code")

    options = presenters.region_options(regions, center=(29.722, 115.995), limit=3)

    assert [o.name for o in options] == ["甘棠街道", "浔阳区", "九江市"]
    assert options[0].parent == "浔阳区"
    assert "湓浦社区" not in [
        o.name for o in presenters.region_options(regions, center=(0, 0), limit=9)
    ]


def test_map_messages_carry_the_placeholder_the_script_replaces():
    messages = presenters.map_messages()

    for key in ("distance_m", "distance_km", "walking"):
        assert "%(n)s" in messages[key]
