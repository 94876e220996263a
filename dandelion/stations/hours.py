"""Opening hours as pure functions over plain values, so the selector, the API and the pages
answer "open now?" the same way, and tests need no database.

Rules:
- A weekly interval belongs to the weekday it starts on; `closes <= opens` runs past midnight.
- Exceptions for a date replace that date's weekly intervals (all of them). A closed exception
  closes the day; the overnight tail of the previous day's interval still counts, because it
  belongs to the previous day.
- A 24-hour place is open except on dates with an exception, where the exception rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def exception_window(day: date) -> tuple[date, date]:
    """The dated exceptions to load for answers about `day` and the week after it: from two days
    before (yesterday's overnight interval, a time zone a day behind) to nine days after."""
    return day - timedelta(days=2), day + timedelta(days=9)


@dataclass(frozen=True)
class Interval:
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens


@dataclass(frozen=True)
class DayException:
    date: date
    closed: bool
    opens: time | None = None
    closes: time | None = None


@dataclass(frozen=True)
class WeeklyHours:
    is_24h: bool
    weekly: dict[int, tuple[Interval, ...]]  # weekday (0 = Monday) → intervals
    exceptions: dict[date, tuple[DayException, ...]]

    @classmethod
    def build(
        cls,
        *,
        is_24h: bool,
        intervals: Iterable[tuple[int, time, time]],
        exceptions: Iterable[DayException] = (),
    ) -> "WeeklyHours":
        weekly: dict[int, list[Interval]] = {}
        for weekday, opens, closes in intervals:
            weekly.setdefault(weekday, []).append(Interval(opens, closes))
        by_date: dict[date, list[DayException]] = {}
        for exc in exceptions:
            by_date.setdefault(exc.date, []).append(exc)
        return cls(
            is_24h=is_24h,
            weekly={k: tuple(sorted(v, key=lambda i: i.opens)) for k, v in weekly.items()},
            exceptions={k: tuple(v) for k, v in by_date.items()},
        )

    def intervals_on(self, day: date) -> tuple[Interval, ...] | None:
        """The intervals that start on `day`; None means open all day (24 hours)."""
        if day in self.exceptions:
            return tuple(
                Interval(e.opens, e.closes)
                for e in self.exceptions[day]
                if not e.closed and e.opens is not None and e.closes is not None
            )
        if self.is_24h:
            return None
        return self.weekly.get(day.weekday(), ())

    def is_open_at(self, moment: datetime, tz: ZoneInfo) -> bool:
        local = moment.astimezone(tz)
        today, now = local.date(), local.time().replace(tzinfo=None)
        todays = self.intervals_on(today)
        if todays is None:
            return True
        for interval in todays:
            if interval.overnight:
                if now >= interval.opens:
                    return True
            elif interval.opens <= now < interval.closes:
                return True
        yesterdays = self.intervals_on(today - timedelta(days=1))
        if yesterdays is None:
            # Yesterday was open all day; today's own rules decide after midnight.
            return False
        return any(i.overnight and now < i.closes for i in yesterdays)

    def unchanged_until(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """A moment up to which `is_open_at` answers as it does at `moment`: the next local
        midnight, or the next time today at which one of today's intervals opens or closes, or
        yesterday's overnight interval closes, whichever comes first. Only there can the answer
        change (it may not). `moment` itself when the UTC offset changes before then (daylight
        saving), so no answer is ever carried across it."""
        local = moment.astimezone(tz)
        today, now = local.date(), local.time().replace(tzinfo=None)
        boundaries = [
            boundary
            for interval in self.intervals_on(today) or ()
            for boundary in (
                (interval.opens,) if interval.overnight else (interval.opens, interval.closes)
            )
        ]
        boundaries += [
            interval.closes
            for interval in self.intervals_on(today - timedelta(days=1)) or ()
            if interval.overnight
        ]
        soonest = min((b for b in boundaries if b > now), default=None)
        until = (
            datetime.combine(today + timedelta(days=1), time(0), tz)
            if soonest is None
            else datetime.combine(today, soonest, tz)
        )
        # Read the offset back from the instant: a wall time that the clock skips (02:30 on the
        # morning clocks go forward) has no offset of its own.
        offset = until.astimezone(UTC).astimezone(tz).utcoffset()
        return until if offset == local.utcoffset() else moment

    def next_change(self, moment: datetime, tz: ZoneInfo, horizon_days: int = 8) -> datetime | None:
        """When the open/closed state next flips, scanning the local week minute-exactly on the
        boundaries; None when it never changes within the horizon (e.g. always open)."""
        local = moment.astimezone(tz)
        state = self.is_open_at(moment, tz)
        boundaries: list[datetime] = []
        for offset in range(-1, horizon_days + 1):
            day = local.date() + timedelta(days=offset)
            midnight = datetime.combine(day, time(0), tz)
            boundaries.append(midnight)
            for interval in self.intervals_on(day) or ():
                boundaries.append(datetime.combine(day, interval.opens, tz))
                end_day = day + timedelta(days=1) if interval.overnight else day
                boundaries.append(datetime.combine(end_day, interval.closes, tz))
        for boundary in sorted(set(boundaries)):
            if boundary > local and self.is_open_at(boundary, tz) != state:
                return boundary
        return None
