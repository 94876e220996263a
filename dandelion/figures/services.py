"""Writes of the roll-ups: refresh cells from the rows they count, rebuild, and keep them
current from the domain events.

A refresh replaces every cell of the chosen measures, regions and days with the rows' own
grouped counts (`sources.source_rows`), in one transaction. That makes every update
idempotent by construction: an event delivered twice, a periodic sweep over the same day, or
a rebuild all leave the same cells, equal to a recount of the rows. The event handlers refresh
the (region, day) an event names, so a new visit or rating shows within the delivery of its
event; the periodic sweep catches what no event announces (a registration, a new station, a
report's status) within `SWEEP_SECONDS`.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dandelion.regions import selectors as regions_selectors

from .models import DailyFigure, FigurePerson
from .sources import BY_MEASURE, PERSON_SOURCES, SOURCES, STOCKS, person_rows, source_rows

BATCH = 5000
SWEEP_SECONDS = 300


def default_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def region_zone(code: str | None) -> ZoneInfo:
    """The time zone the region's days are taken in."""
    if code:
        region = regions_selectors.region_find(code=code)
        if region is not None and region.timezone:
            return ZoneInfo(region.timezone)
    return default_zone()


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


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


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
    counts. Returns the number of cells written."""
    zone = zone or default_zone()
    codes = list(codes) if codes is not None else None
    names = set(measures) if measures is not None else set(BY_MEASURE)
    written = 0
    region_q = _region_q(prefix, codes)
    for source in SOURCES:
        if source.measure not in names:
            continue
        DailyFigure.objects.filter(
            region_q, _day_q("day", day_from, day_to), measure=source.measure
        ).delete()
        batch = [
            DailyFigure(region_code=code, day=day, measure=source.measure, key=key, value=value)
            for code, day, key, value in source_rows(
                source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone
            )
        ]
        DailyFigure.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
    for source in PERSON_SOURCES:
        if source.measure not in names:
            continue
        written += _persons_refresh(source, region_q, prefix, codes, day_from, day_to, zone)
    return written


def _persons_refresh(source, region_q, prefix, codes, day_from, day_to, zone) -> int:
    measure = source.measure
    FigurePerson.objects.filter(
        region_q, _day_q("start", day_from, day_to), measure=measure, grain="d"
    ).delete()
    rows = [
        FigurePerson(grain="d", measure=measure, region_code=code, start=day, person_id=person)
        for code, day, person in person_rows(
            source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone
        )
    ]
    FigurePerson.objects.bulk_create(rows, batch_size=BATCH)
    # A month row for each person, region and month with a day row: rebuilt for every month
    # the refreshed days touch, from the day rows of the whole month.
    month_from = _month_start(day_from) if day_from else None
    month_to = _month_end(day_to) if day_to else None
    FigurePerson.objects.filter(
        region_q, _day_q("start", month_from, month_to), measure=measure, grain="m"
    ).delete()
    months: dict[tuple[str, date], set[int]] = defaultdict(set)
    day_rows = FigurePerson.objects.filter(
        region_q, _day_q("start", month_from, month_to), measure=measure, grain="d"
    ).values_list("region_code", "start", "person_id")
    for code, day, person in day_rows.iterator(chunk_size=BATCH):
        months[(code, _month_start(day))].add(person)
    month_rows = [
        FigurePerson(grain="m", measure=measure, region_code=code, start=start, person_id=person)
        for (code, start), people in months.items()
        for person in people
    ]
    FigurePerson.objects.bulk_create(month_rows, batch_size=BATCH)
    return len(rows) + len(month_rows)


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


def on_visit_recorded(event) -> None:
    _refresh_for(("visits", "visitors"), event.region_code, event.occurred_at)


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


def on_hours_confirmed(event) -> None:
    _refresh_for(
        ("volunteer_minutes", "volunteers", "points_issued"), event.region_code, event.occurred_at
    )
