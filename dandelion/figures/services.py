"""Writes of the roll-ups: refresh cells from the rows they count, rebuild, and keep them
current from the domain events.

A refresh replaces every cell of the chosen measures, regions and days with the rows' own
grouped counts (`sources.source_rows`), in one transaction. That makes every update
idempotent by construction: an event delivered twice, a periodic sweep over the same day, or
a rebuild all leave the same cells, equal to a recount of the rows. The event handlers (the
`on_*` functions at the end, subscribed in `apps.py`) refresh the (region, day) an event names,
or a small stock's cells of the region whole, so a new visit, registration or station shows
within the delivery of its event; the periodic sweep catches, within `SWEEP_SECONDS`, what no
event announces (rows written outside the services: the admin, a data fix).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Length, Substr, TruncMonth, TruncYear
from django.utils import timezone

from dandelion.regions import selectors as regions_selectors

from .models import DailyFigure, FigurePerson, PeopleCount
from .sources import (
    BY_MEASURE,
    PERSON_SOURCES,
    SOURCES,
    STOCKS,
    person_grouped,
    source_grouped,
    source_rows,
)

BATCH = 5000
SWEEP_SECONDS = 300


def default_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def zone_of(region) -> ZoneInfo:
    """The time zone a region's days are taken in."""
    return ZoneInfo(region.timezone) if region is not None and region.timezone else default_zone()


def region_zone(code: str | None) -> ZoneInfo:
    """The time zone the days of the region with this code are taken in."""
    return zone_of(regions_selectors.region_find(code=code) if code else None)


def _region_q(prefix: str, codes: Iterable[str] | None) -> Q:
    q = Q()
    if prefix:
        q &= Q(region_code__startswith=prefix)
    if codes is not None:
        q &= Q(region_code__in=list(codes))
    return q


def _day_q(field: str, day_from: date | None, day_to: date | None) -> Q:
    q = Q()
    if day_from is not None:
        q &= Q(**{f"{field}__gte": day_from})
    if day_to is not None:
        q &= Q(**{f"{field}__lte": day_to})
    return q


def _month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# The lengths of region code prefixes: province, city, district, street, community
# (`regions.divisions.code_prefix`).
LEVELS = (2, 4, 6, 9, 12)


def _insert_select(table: str, columns: str, select: str, queryset, *constants) -> None:
    """`INSERT INTO table (columns) SELECT <select> FROM (<queryset's SQL>) sub`: the grouped
    rows go from the database to the database, however many they are. `constants` fill the
    `%s` of `select`."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {select} FROM ({sql}) sub",
            (*constants, *params),
        )


def _rolled_scope(prefix: str, codes: list[str] | None, length: int) -> Q | None:
    """Which level-`length` region prefixes a refresh of `prefix`/`codes` touches: None for
    every one; otherwise a filter on the annotation `p` (the row's prefix at that level)."""
    if codes is not None:
        return Q(p__in={code[:length] for code in codes if len(code) >= length})
    if not prefix:
        return None
    if length >= len(prefix):
        return Q(p__startswith=prefix)
    return Q(p=prefix[:length])


def _rolled_delete_q(prefix: str, codes: list[str] | None) -> Q:
    if codes is not None:
        return Q(region_code__in={c[:n] for c in codes for n in LEVELS if len(c) >= n})
    if not prefix:
        return Q()
    above = [prefix[:n] for n in LEVELS if n < len(prefix)]
    return Q(region_code__startswith=prefix) | Q(region_code__in=above)


@transaction.atomic
def figures_refresh(
    *,
    measures: Iterable[str] | None = None,
    prefix: str = "",
    codes: Iterable[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    zone: ZoneInfo | None = None,
) -> int:
    """Replace the cells of `measures` (default: all) for the regions under `prefix` (and in
    `codes` when given) and the days `day_from`..`day_to` (open ends: all) with the rows'
    counts, then their sums for every region above them. Returns the cells counted from rows."""
    zone = zone or default_zone()
    codes = list(codes) if codes is not None else None
    names = set(measures) if measures is not None else set(BY_MEASURE)
    written = 0
    region_q = _region_q(prefix, codes)
    days = _day_q("day", day_from, day_to)
    for source in SOURCES:
        if source.measure not in names:
            continue
        measure = source.measure
        DailyFigure.objects.filter(region_q, days, measure=measure, rolled=False).delete()
        if source.python is not None:
            batch = [
                DailyFigure(region_code=code, day=day, measure=measure, key=key, value=value)
                for code, day, key, value in source_rows(
                    source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone
                )
            ]
            DailyFigure.objects.bulk_create(batch, batch_size=BATCH)
        else:
            grouped = source_grouped(
                source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone
            )
            _insert_select(
                DailyFigure._meta.db_table,
                "region_code, grain, day, measure, key, value, rolled",
                "sub.f_region, 'd', sub.f_day, %s, sub.f_key, sub.f_value, %s",
                grouped,
                measure,
                False,
            )
        DailyFigure.objects.filter(
            _rolled_delete_q(prefix, codes), days, measure=measure, rolled=True, grain="d"
        ).delete()
        for length in LEVELS:
            if codes is not None and not any(len(code) >= length for code in codes):
                continue
            scope = _rolled_scope(prefix, codes, length)
            rows = (
                DailyFigure.objects.filter(days, measure=measure, rolled=False)
                .annotate(p=Substr("region_code", 1, length), n=Length("region_code"))
                .filter(n__gte=length)
            )
            if scope is not None:
                rows = rows.filter(scope)
            grouped = rows.order_by().values("p", "day", "key").annotate(total=Sum("value"))
            _insert_select(
                DailyFigure._meta.db_table,
                "region_code, grain, day, measure, key, value, rolled",
                "sub.p, 'd', sub.day, %s, sub.key, sub.total, %s",
                grouped,
                measure,
                True,
            )
        _months_refresh(measure, prefix, codes, day_from, day_to)
        written += DailyFigure.objects.filter(region_q, days, measure=measure, rolled=False).count()
    for source in PERSON_SOURCES:
        if source.measure not in names:
            continue
        written += _persons_refresh(source, prefix, codes, day_from, day_to, zone)
    return written


def _months_refresh(measure, prefix, codes, day_from, day_to) -> None:
    """Replace the month rows of the months `day_from`..`day_to` touch with the sums of their
    rolled day rows, which are whole by now: the refreshed days were just rewritten and the
    month's other days were right already."""
    rolled = _rolled_delete_q(prefix, codes)
    months = _day_q(
        "day",
        _month_start(day_from) if day_from else None,
        month_end(day_to) if day_to else None,
    )
    DailyFigure.objects.filter(rolled, months, measure=measure, rolled=True, grain="m").delete()
    sums = (
        DailyFigure.objects.filter(rolled, months, measure=measure, rolled=True, grain="d")
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("region_code", "month", "key")
        .annotate(total=Sum("value"))
    )
    _insert_select(
        DailyFigure._meta.db_table,
        "region_code, grain, day, measure, key, value, rolled",
        "sub.region_code, 'm', sub.month, %s, sub.key, sub.total, %s",
        sums,
        measure,
        True,
    )


# Past this many people a bounded refresh recomputes the rolled rows of everyone in its months
# and years instead of listing them.
MAX_PEOPLE_LISTED = 2000


def _grain_start(grain: str):
    if grain == "y":
        return TruncYear("start")
    if grain == "m":
        return TruncMonth("start")
    return F("start")


def _persons_refresh(source, prefix, codes, day_from, day_to, zone) -> int:
    """Replace the day rows counted from the rows, then the rolled day and month rows above
    them. A refresh of a few regions (an event's) recomputes the rolled rows of only the people
    whose day rows were there before or are now, so it reads a handful of rows, not the month
    of the whole province."""
    measure = source.measure
    region_q = _region_q(prefix, codes)
    finest = FigurePerson.objects.filter(
        region_q, _day_q("start", day_from, day_to), measure=measure, rolled=False
    )
    # Bounded refreshes (an event's, the sweep's) recompute the rolled rows of only the people
    # whose day rows were there before or are now; a rebuild recomputes them all.
    bounded = day_from is not None and day_to is not None
    people: set[int] | None = None
    if bounded:
        people = set(finest.values_list("person_id", flat=True))
    finest.delete()
    _insert_select(
        FigurePerson._meta.db_table,
        "grain, measure, region_code, start, person_id, rolled",
        "'d', %s, sub.f_region, sub.f_day, sub.f_person, %s",
        person_grouped(
            source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone
        ),
        measure,
        False,
    )
    if people is not None:
        people |= set(finest.values_list("person_id", flat=True))
        if not people:
            return 0
        if len(people) > MAX_PEOPLE_LISTED:
            people = None
    month_from = _month_start(day_from) if day_from else None
    month_to = month_end(day_to) if day_to else None
    year_from = day_from.replace(month=1, day=1) if day_from else None
    year_to = day_to.replace(month=12, day=31) if day_to else None
    who = Q(person_id__in=people) if people is not None else Q()
    grains = (("d", day_from, day_to), ("m", month_from, month_to), ("y", year_from, year_to))
    for grain, first, last in grains:
        rolled_rows = FigurePerson.objects.filter(
            who,
            _rolled_delete_q(prefix, codes),
            _day_q("start", first, last),
            measure=measure,
            grain=grain,
            rolled=True,
        )
        counted = grain != "d"
        before = _group_sizes(rolled_rows) if counted and people is not None else {}
        rolled_rows.delete()
        for length in LEVELS:
            if codes is not None and not any(len(code) >= length for code in codes):
                continue
            scope = _rolled_scope(prefix, codes, length)
            rows = (
                FigurePerson.objects.filter(
                    who, _day_q("start", first, last), measure=measure, grain="d", rolled=False
                )
                .annotate(
                    p=Substr("region_code", 1, length),
                    n=Length("region_code"),
                    s=_grain_start(grain),
                )
                .filter(n__gte=length)
            )
            if scope is not None:
                rows = rows.filter(scope)
            distinct = rows.order_by().values("p", "s", "person_id").distinct()
            _insert_select(
                FigurePerson._meta.db_table,
                "grain, measure, region_code, start, person_id, rolled",
                "%s, %s, sub.p, sub.s, sub.person_id, %s",
                distinct,
                grain,
                measure,
                True,
            )
        if counted:
            after = _group_sizes(rolled_rows)
            if people is None:  # every person of the groups in scope: the sizes are whole
                PeopleCount.objects.filter(
                    _rolled_delete_q(prefix, codes),
                    _day_q("start", first, last),
                    measure=measure,
                    grain=grain,
                ).delete()
                PeopleCount.objects.bulk_create(
                    [
                        PeopleCount(
                            measure=measure, region_code=code, grain=grain, start=start, people=n
                        )
                        for (code, start), n in after.items()
                    ],
                    batch_size=BATCH,
                )
            else:
                _people_counts_add(measure, grain, before, after)
    return finest.count()


def _group_sizes(rows) -> dict[tuple[str, date], int]:
    """(region, start) → how many of `rows` (rolled FigurePerson rows of one grain) it holds."""
    return {
        (code, start): n
        for code, start, n in rows.order_by()
        .values_list("region_code", "start")
        .annotate(n=Count("pk"))
    }


def _people_counts_add(measure: str, grain: str, before: dict, after: dict) -> None:
    """Add what a refresh of some people changed to the stored group sizes: one atomic
    `INSERT … ON CONFLICT DO UPDATE` a group, so two refreshes of one city at once add up."""
    table = PeopleCount._meta.db_table
    groups = set(before) | set(after)
    with connection.cursor() as cursor:
        for code, start in groups:
            change = after.get((code, start), 0) - before.get((code, start), 0)
            if change:
                cursor.execute(
                    f"INSERT INTO {table} (measure, region_code, grain, start, people) "
                    "VALUES (%s, %s, %s, %s, %s) "
                    "ON CONFLICT (region_code, grain, start, measure) "
                    f"DO UPDATE SET people = {table}.people + excluded.people",
                    [measure, code, grain, start, change],
                )
    PeopleCount.objects.filter(
        measure=measure,
        grain=grain,
        region_code__in={code for code, _start in groups},
        start__in={start for _code, start in groups},
        people=0,
    ).delete()


def figures_rebuild(*, region_code: str | None = None, day_from: date | None = None) -> int:
    """Rebuild every roll-up of the region (default: everywhere) from `day_from` (default: all
    time) from the rows. Stocks are always rebuilt whole: a stock as of any day depends on
    rows dated before it."""
    prefix = ""
    if region_code:
        prefix = regions_selectors.region_get(code=region_code).code_prefix
    zone = region_zone(region_code)
    flows = [measure for measure in BY_MEASURE if measure not in STOCKS]
    written = figures_refresh(measures=STOCKS, prefix=prefix, zone=zone)
    written += figures_refresh(measures=flows, prefix=prefix, day_from=day_from, zone=zone)
    return written


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return timezone.localtime(moment, zone).date()


def figures_sweep(*, now: datetime | None = None) -> int:
    """The periodic catch-up: today's and yesterday's cells of every measure, and the small
    stocks whole (a station closed or a team disbanded leaves its creation day's cell)."""
    zone = default_zone()
    today = _local_day(now or timezone.now(), zone)
    written = figures_refresh(day_from=today - timedelta(days=1), day_to=today, zone=zone)
    small_stocks = STOCKS - {"workers"}
    return written + figures_refresh(measures=small_stocks, zone=zone)


def _refresh_for(measures: Iterable[str], region_code: str, moment: datetime) -> None:
    zone = region_zone(region_code)
    day = _local_day(moment, zone)
    figures_refresh(measures=measures, codes=[region_code], day_from=day, day_to=day, zone=zone)


def _refresh_whole(measures: Iterable[str], *codes: str | None) -> None:
    """Refresh every cell of `measures` in the regions `codes` (None and repeats skipped): for
    small stocks dated by creation (or decision), whose cell an event's change moves without
    naming its day. Each region is refreshed in its own time zone."""
    for code in dict.fromkeys(c for c in codes if c):
        figures_refresh(measures=measures, codes=[code], zone=region_zone(code))


def on_visit_recorded(event) -> None:
    _refresh_for(("visits", "visitors"), event.region_code, event.occurred_at)


def on_need_submitted(event) -> None:
    _refresh_for(("needs_submitted",), event.region_code, event.occurred_at)


def on_need_resolved(event) -> None:
    _refresh_for(("needs_resolved",), event.region_code, event.occurred_at)


def on_need_rated(event) -> None:
    _refresh_for(("need_ratings",), event.region_code, event.occurred_at)


def on_report_accepted(event) -> None:
    # A report counts on the day it was submitted, under its status now: the event does not
    # say that day, so the region's report cells are refreshed whole (one community's rows).
    figures_refresh(
        measures=("reports_submitted",),
        codes=[event.region_code],
        zone=region_zone(event.region_code),
    )


def on_report_changed(event) -> None:
    # Submitted, or moved: the region's report cells are refreshed whole (one community's
    # rows), since a reopened report leaves the day it had been fixed on.
    figures_refresh(
        measures=("reports_submitted", "reports_fixed", "reports_fix_hours"),
        codes=[event.region_code],
        zone=region_zone(event.region_code),
    )


def on_hours_confirmed(event) -> None:
    _refresh_for(
        ("volunteer_minutes", "volunteers", "points_issued"), event.region_code, event.occurred_at
    )
    _refresh_for(("activities",), event.region_code, event.ended_at)


def on_stars_changed(event) -> None:
    # A station's stars are part of its stock cell, dated by its creation: the region's
    # station cells are refreshed whole (one region's stations).
    figures_refresh(
        measures=("stations",), codes=[event.region_code], zone=region_zone(event.region_code)
    )


def on_service_logged(event) -> None:
    zone = region_zone(event.region_code)
    figures_refresh(
        measures=("service_events", "service_people", "service_bottles"),
        codes=[event.region_code],
        day_from=event.date,
        day_to=event.date,
        zone=zone,
    )


def on_station_changed(event) -> None:
    # A station counts under its status, kind, origin, 24-hour opening and stars on the day it
    # was created: the cells of the region it is in (and left) are refreshed whole.
    _refresh_whole(("stations",), event.region_code, event.previous_region_code)


def on_partner_changed(event) -> None:
    _refresh_whole(("partners",), event.region_code, event.previous_region_code)


def on_worker_registered(event) -> None:
    _refresh_for(("workers",), event.region_code, event.occurred_at)


def on_worker_profile_changed(event) -> None:
    # A worker counts under their street and occupation on the day they registered: that
    # day's cells of the street they work in, and of the one they left. (Registered workers
    # are the one large stock: the event names the day, so the whole region is not recounted.)
    for code in (event.region_code, event.previous_region_code):
        if code:  # no previous street when they did not move
            _refresh_for(("workers",), code, event.registered_at)


def on_organisation_changed(event) -> None:
    # Teams and branches count on their creation day while active; a branch's confirmed party
    # members count in the branch's region, so they follow a branch that moves.
    _refresh_whole(
        ("teams", "branches", "party_members"), event.region_code, event.previous_region_code
    )


def on_party_membership_changed(event) -> None:
    _refresh_whole(("party_members",), event.region_code)


def on_wish_posted(event) -> None:
    _refresh_for(("wishes_posted",), event.region_code, event.occurred_at)


def on_wish_fulfilled(event) -> None:
    _refresh_for(("wishes_fulfilled",), event.region_code, event.occurred_at)


def on_problem_raised(event) -> None:
    _refresh_for(("problems_raised",), event.region_code, event.occurred_at)


def on_problem_closed(event) -> None:
    _refresh_for(("problems_solved",), event.region_code, event.occurred_at)


def on_activity_changed(event) -> None:
    # Published, cancelled or finished: an activity counts on the day it ends.
    _refresh_for(("activities",), event.region_code, event.ends_at)


def on_redemption_issued(event) -> None:
    _refresh_for(("redemptions", "points_redeemed"), event.region_code, event.occurred_at)


def on_redemption_cancelled(event) -> None:
    # A cancelled redemption leaves the day it was issued on.
    _refresh_for(("redemptions", "points_redeemed"), event.region_code, event.issued_at)
