"""Whether a loaded place is open: its week and dated exceptions as `hours.WeeklyHours`, in its
region's time zone. Read by the selectors, the payloads and the H5 pages (through selectors)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from .hours import DayException, WeeklyHours
from .models import Place


def place_hours(place: Place, *, with_exceptions: bool = True) -> WeeklyHours:
    """Weekly hours of a place loaded with the selectors' detail prefetches; without its dated
    exceptions, its regular week."""
    exceptions = getattr(place, "upcoming_exceptions", ()) if with_exceptions else ()
    return WeeklyHours.build(
        is_24h=place.is_24h,
        intervals=[(i.weekday, i.opens, i.closes) for i in place.hours.all()],
        exceptions=[DayException(e.date, e.closed, e.opens, e.closes) for e in exceptions],
    )


def place_timezone(place: Place) -> ZoneInfo:
    return ZoneInfo(place.region.timezone)


def place_is_open(place: Place, moment: datetime) -> bool:
    return place.status == Place.Status.ACTIVE and place_hours(place).is_open_at(
        moment, place_timezone(place)
    )
