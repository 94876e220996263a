"""Automatic measures (自动测量): indicators scored from what the platform already knows.

Each measure reads one value about a station (`Reading`: the value, where it came from, or no
value when there is no data) and an indicator's `measure_params` turn it into points:
- `services_held`: entries of the work log of `params["kinds"]` within `months`;
- `amenities`: the share of `params["amenities"]` the station has (`"any": true`: one is
  enough for full points);
- `open_24h`: full points when the station is open around the clock;
- `weekly_hours`, `area`, `seats`, `visits_per_month`, `services_held`: linear up to
  `params["full_at"]` (full points at or above it);
- `needs_on_time`, `complaints_fixed`: the share (0–1) times the points; no complaint at all
  is full points, no need due is no value (the reviewer scores it);
- `average_rating`: 1 star is 0, 5 stars full, linear between;
- `facts_freshness`: full within `full_within_days` days of the last confirmation, nothing
  from `zero_after_days` on, linear between.
Points are rounded half up to 0.1. The pure `score` is tested against hand-computed values;
`read` gathers the data (other apps through their selectors).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import Measure

TENTH = Decimal("0.1")
MONTH_DAYS = 30
# Complaints and needs "about" a station: filed within this many metres of it, unless the
# indicator's parameters say otherwise.
DEFAULT_RADIUS_M = 300
LINEAR = {
    Measure.WEEKLY_HOURS,
    Measure.AREA,
    Measure.SEATS,
    Measure.VISITS_PER_MONTH,
    Measure.SERVICES_HELD,
}
# The parameters each measure takes, for the editor to check.
PARAMETERS = {
    Measure.AMENITIES: {"amenities", "any"},
    Measure.OPEN_24H: set(),
    Measure.WEEKLY_HOURS: {"full_at"},
    Measure.AREA: {"full_at"},
    Measure.SEATS: {"full_at"},
    Measure.VISITS_PER_MONTH: {"full_at", "months"},
    Measure.SERVICES_HELD: {"full_at", "months", "kinds"},
    Measure.NEEDS_ON_TIME: {"months", "radius_m"},
    Measure.AVERAGE_RATING: {"months", "radius_m"},
    Measure.COMPLAINTS_FIXED: {"months", "radius_m"},
    Measure.FACTS_FRESHNESS: {"full_within_days", "zero_after_days"},
}


@dataclass(frozen=True)
class Reading:
    value: float | None
    source: str


def _points(max_points, share: float) -> Decimal:
    share = min(1.0, max(0.0, share))
    return (Decimal(str(max_points)) * Decimal(str(share))).quantize(TENTH, ROUND_HALF_UP)


def score(measure: str, params: dict, value: float | None, max_points) -> Decimal | None:
    """The points `value` earns on an indicator worth `max_points`; None without a value."""
    if value is None:
        return None
    if measure in LINEAR:
        full_at = float(params.get("full_at") or 1)
        return _points(max_points, value / full_at)
    if measure == Measure.AMENITIES:
        wanted = params.get("amenities") or []
        if not wanted:
            return _points(max_points, 0)
        if params.get("any"):
            return _points(max_points, 1 if value >= 1 else 0)
        return _points(max_points, value / len(wanted))
    if measure == Measure.OPEN_24H:
        return _points(max_points, 1 if value else 0)
    if measure in (Measure.NEEDS_ON_TIME, Measure.COMPLAINTS_FIXED):
        return _points(max_points, value)
    if measure == Measure.AVERAGE_RATING:
        return _points(max_points, (value - 1) / 4)
    if measure == Measure.FACTS_FRESHNESS:
        full = float(params.get("full_within_days", 90))
        zero = float(params.get("zero_after_days", 365))
        if value <= full:
            return _points(max_points, 1)
        if value >= zero or zero <= full:
            return _points(max_points, 0)
        return _points(max_points, (zero - value) / (zero - full))
    return None


def weekly_open_hours(station) -> float:
    """Hours a week the station's weekly hours say it is open (168 when open 24 hours)."""
    if station.is_24h:
        return 168.0
    minutes = 0
    for interval in station.hours.all():
        opens = interval.opens.hour * 60 + interval.opens.minute
        closes = interval.closes.hour * 60 + interval.closes.minute
        minutes += closes - opens if closes > opens else 24 * 60 - opens + closes
    return round(minutes / 60, 2)


def read(measure: str, params: dict, station, at: datetime) -> Reading:
    """The value of `measure` for `station` at `at`, with where it came from."""
    months = int(params.get("months") or 6)
    since = at - timedelta(days=MONTH_DAYS * months)
    radius = float(params.get("radius_m") or DEFAULT_RADIUS_M)
    if measure == Measure.AMENITIES:
        have = {a.code for a in station.amenities.all()}
        wanted = params.get("amenities") or []
        present = [code for code in wanted if code in have]
        return Reading(
            float(len(present)),
            _("驿站设施登记：%(present)s/%(wanted)s 项")
            % {"present": len(present), "wanted": len(wanted)},
        )
    if measure == Measure.OPEN_24H:
        return Reading(1.0 if station.is_24h else 0.0, _("驿站营业时间"))
    if measure == Measure.WEEKLY_HOURS:
        return Reading(weekly_open_hours(station), _("驿站每周营业时间（小时）"))
    if measure == Measure.AREA:
        area = station.area_m2
        return Reading(None if area is None else float(area), _("驿站登记面积（m²）"))
    if measure == Measure.SEATS:
        seats = getattr(station, "seats", None)
        return Reading(None if seats is None else float(seats), _("驿站登记座位数"))
    if measure == Measure.VISITS_PER_MONTH:
        visits = station.visits.filter(visited_at__gte=since, visited_at__lt=at).count()
        return Reading(
            round(visits / months, 1),
            _("近 %(months)s 个月打卡记录（%(visits)s 人次）")
            % {"months": months, "visits": visits},
        )
    if measure == Measure.SERVICES_HELD:
        return _services_held(station, since, at, params, months)
    if measure in (Measure.NEEDS_ON_TIME, Measure.AVERAGE_RATING):
        from dandelion.needs.selectors import needs_near_stats

        stats = needs_near_stats(
            lat=station.lat, lng=station.lng, radius_m=radius, since=since, until=at
        )
        if measure == Measure.NEEDS_ON_TIME:
            value = stats["on_time"] / stats["due"] if stats["due"] else None
            return Reading(
                value,
                _("驿站 %(radius)s 米内近 %(months)s 个月到期诉求：%(on_time)s/%(due)s 按时办结")
                % {"radius": int(radius), "months": months, **stats},
            )
        return Reading(
            stats["rating_average"],
            _("驿站 %(radius)s 米内近 %(months)s 个月诉求评价（%(ratings)s 条）")
            % {"radius": int(radius), "months": months, "ratings": stats["ratings"]},
        )
    if measure == Measure.COMPLAINTS_FIXED:
        from dandelion.reports.selectors import reports_near_counts

        counts = reports_near_counts(
            lat=station.lat, lng=station.lng, radius_m=radius, since=since, until=at
        )
        value = counts["fixed"] / counts["total"] if counts["total"] else 1.0
        return Reading(
            value,
            _("驿站 %(radius)s 米内近 %(months)s 个月随手拍：%(fixed)s/%(total)s 已整改")
            % {"radius": int(radius), "months": months, **counts},
        )
    if measure == Measure.FACTS_FRESHNESS:
        confirmed = getattr(station, "facts_confirmed_at", None)
        if confirmed is None:
            return Reading(None, _("驿站信息从未核实"))
        return Reading(float((at - confirmed).days), _("距上次核实驿站信息的天数"))
    return Reading(None, "")


def _services_held(station, since: datetime, at: datetime, params: dict, months: int) -> Reading:
    """Entries of the station's work log (义诊, 法律咨询…) of `params["kinds"]` (every kind but
    the free-drinks refills when not given) within the window."""
    from dandelion.stations.selectors import station_services_summary

    summary = station_services_summary(station=station, since=since.date(), until=at.date())
    kinds = params.get("kinds")
    held = sum(
        row["entries"]
        for row in summary["by_kind"]
        if (row["kind"] in kinds if kinds else row["kind"] != "drinks_refill")
    )
    return Reading(
        float(held),
        _("近 %(months)s 个月驿站服务台账（%(held)s 场）") % {"months": months, "held": held},
    )
