"""What the H5 pages show, computed from selectors' answers, so templates hold no logic.

Opening rules live in `stations.hours.WeeklyHours`; this module only words them: an interval
that runs past midnight reads "18:00–次日02:00", a place open around the clock "24小时".
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dandelion.accounts import selectors as account_selectors
from dandelion.core.geo import haversine_m
from dandelion.core.i18n import localized
from dandelion.stations import selectors as station_selectors

# Django's own weekday names: complete in Chinese (星期一) and English (Mon) alike.
WEEKDAY_LABELS = WEEKDAYS_ABBR


def clock(value: time, *, end_of_day: bool = False) -> str:
    """`HH:MM`; a closing time of midnight reads 24:00 so "22:00–24:00" is not "次日00:00"."""
    if end_of_day and value == time(0):
        return "24:00"
    return value.strftime("%H:%M")


def interval_text(opens: time, closes: time) -> str:
    if closes == time(0):
        return f"{clock(opens)}–{clock(closes, end_of_day=True)}"
    if closes <= opens:
        return _("%(opens)s–次日%(closes)s") % {"opens": clock(opens), "closes": clock(closes)}
    return f"{clock(opens)}–{clock(closes)}"


def day_text(intervals) -> str:
    """Words for a day's intervals: None is open all day, an empty tuple is closed."""
    if intervals is None:
        return _("24小时")
    if not intervals:
        return _("休息")
    return _("、").join(interval_text(i.opens, i.closes) for i in intervals)


def short_date(day: date) -> str:
    return _("%(month)s月%(day)s日") % {"month": day.month, "day": day.day}


@dataclass(frozen=True)
class WeekRow:
    weekday: int
    label: str
    hours: str
    is_today: bool


@dataclass(frozen=True)
class ExceptionRow:
    date: date
    label: str
    hours: str
    note: str
    closed: bool


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    badge: str
    today: str
    next_change: str


def week_rows(place, *, today: date) -> list[WeekRow]:
    """The regular week, Monday first; dated exceptions are listed separately."""
    regular = station_selectors.place_hours(place, with_exceptions=False)
    monday = today - timedelta(days=today.weekday())
    return [
        WeekRow(
            weekday=offset,
            label=str(WEEKDAY_LABELS[offset]),
            hours=day_text(regular.intervals_on(monday + timedelta(days=offset))),
            is_today=offset == today.weekday(),
        )
        for offset in range(7)
    ]


def exception_rows(place, *, today: date) -> list[ExceptionRow]:
    """Dated exceptions from today on, one row per date, in the words of `day_text`."""
    hours = station_selectors.place_hours(place)
    rows = []
    for day in sorted(d for d in hours.exceptions if d >= today):
        notes = [e.note for e in getattr(place, "upcoming_exceptions", ()) if e.date == day]
        intervals = hours.intervals_on(day)
        rows.append(
            ExceptionRow(
                date=day,
                label=f"{short_date(day)} {WEEKDAY_LABELS[day.weekday()]}",
                hours=day_text(intervals) if intervals else _("全天休息"),
                note="；".join(n for n in notes if n),
                closed=not intervals,
            )
        )
    return rows


def _when(moment: datetime, *, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return clock(moment.time())
    if days == 1:
        return _("明天 %(time)s") % {"time": clock(moment.time())}
    return f"{WEEKDAY_LABELS[moment.weekday()]} {clock(moment.time())}"


def open_state(place, *, moment: datetime) -> OpenState:
    tz = station_selectors.place_timezone(place)
    local = moment.astimezone(tz)
    hours = station_selectors.place_hours(place)
    today = day_text(hours.intervals_on(local.date()))
    if place.status != station_selectors.PlaceStatus.ACTIVE:
        return OpenState(
            is_open=False, badge=str(place.get_status_display()), today=today, next_change=""
        )
    is_open = hours.is_open_at(moment, tz)
    change = hours.next_change(moment, tz)
    if change is None:
        next_change = ""
    elif is_open:
        next_change = _("%(when)s 打烊") % {"when": _when(change.astimezone(tz), now=local)}
    else:
        next_change = _("%(when)s 开门") % {"when": _when(change.astimezone(tz), now=local)}
    return OpenState(
        is_open=is_open,
        badge=_("营业中") if is_open else _("休息中"),
        today=today,
        next_change=next_change,
    )


def station_page(station, *, payload: dict, moment: datetime) -> dict:
    """Context of the station page: the API's payload plus the worded hours."""
    today = timezone.localtime(moment, station_selectors.place_timezone(station)).date()
    return {
        "station": payload,
        "open_state": open_state(station, moment=moment),
        "week": week_rows(station, today=today),
        "exceptions": exception_rows(station, today=today),
        "photos": [{"url": p.image.url, "caption": p.caption} for p in station.photos.all()],
        "notes": station.notes,
        "origin_label": payload["origin_label"],
    }


@dataclass(frozen=True)
class RegionOption:
    code: str
    name: str
    parent: str
    lat: float
    lng: float


# Regions offered as places (the map's "my location", the street at registration) are those within
# this many degrees of the default centre, so a national deployment does not list every street.
REGION_WINDOW_DEGREES = 1.5


def region_options(regions, *, center: tuple[float, float], limit: int) -> list[RegionOption]:
    """Regions with a centre point, nearest to `center` first."""
    options = [
        RegionOption(
            code=r.code,
            name=r.name,
            parent=r.parent.name if r.parent_id else "",
            lat=r.center_lat,
            lng=r.center_lng,
        )
        for r in regions
        if r.center_lat is not None and r.center_lng is not None
    ]
    options.sort(key=lambda o: (haversine_m(center[0], center[1], o.lat, o.lng), o.code))
    return options[:limit]


def worker_vehicle(user) -> str:
    """How the signed-in worker gets about (their profile's declared vehicle), else an e-bike:
    most people on the map are riders."""
    if getattr(user, "is_authenticated", False):
        return account_selectors.worker_vehicle(user=user)
    return "e_bike"


def amenity_chips() -> list[dict[str, str]]:
    """The amenity catalogue for the map's filter chips, sent with the page (one request less
    before the nearest list shows)."""
    return [
        {"code": a.code, "name": localized(a.name_zh, a.name_en), "icon": a.icon}
        for a in station_selectors.amenity_list()
    ]


def map_messages(vehicle: str = "e_bike") -> dict[str, str]:
    """Strings the map script formats at run time; `%(n)s` is replaced there. `travel` words
    the time by the worker's vehicle (empty for someone on foot: walking time is already there)."""
    travel = {
        "walk": "",
        "bicycle": _("骑行约 %(n)s 分钟"),
        "e_bike": _("骑行约 %(n)s 分钟"),
        "motorcycle": _("骑行约 %(n)s 分钟"),
        "car": _("驾车约 %(n)s 分钟"),
    }[vehicle]
    return {
        "distance_m": pgettext("distance", "%(n)s m"),
        "distance_km": pgettext("distance", "%(n)s km"),
        "walking": _("步行约 %(n)s 分钟"),
        "travel": travel,
        "origin_gps": _("我的位置"),
        "origin_manual": _("已选位置"),
        "origin_default": _("默认位置"),
        "origin_locating": _("定位中…"),
        "you_are_here": _("我在这里"),
        "details": _("查看详情"),
        "tiles_failed": _("地图底图加载失败，已换成简易底图，列表仍可使用。"),
        "markers_failed": _("地图点位加载失败，列表仍可使用。"),
        "too_many": _("这一片点位太多，放大地图再看。"),
        "zoom_in_to_load": _("放大地图查看驿站"),
        "zoom_in": _("放大"),
        "zoom_out": _("缩小"),
        "locate": _("重新定位"),
        "stars": _("%(n)s 星级"),
        "geo_denied": _("你没有允许获取位置。"),
        "geo_unavailable": _("暂时无法获取你的位置。"),
        "geo_timeout": _("获取位置超时。"),
        "geo_unsupported": _("此浏览器不支持定位。"),
    }
