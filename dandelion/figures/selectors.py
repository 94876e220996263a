"""Reads of the figures: `figures_compute` answers every figure of a region and period from
the roll-ups in a fixed, small number of queries, whatever the size of the history.

Flows are the roll-up's cells summed over the period; stocks the cells summed up to `to`;
distinct people `COUNT(DISTINCT person_id)` over the month rows of the whole months in the
period and the day rows of the days at its ends (see `models.FigurePerson`).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dandelion.catalog import selectors as catalog_selectors
from dandelion.core import permissions
from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.regions import selectors as regions_selectors
from dandelion.reports import selectors as reports_selectors

from .models import DailyFigure, FigurePerson, PeopleCount
from .schemas import MAX_SPAN_DAYS, FiguresOut
from .services import LEVELS, month_end, region_zone, zone_of
from .sources import PERSON_SOURCES, SOURCES, STOCKS, person_rows, source_rows

VIEW = "figures.view"

# The headline numbers of `by_region` and `series`: the field and the measure (and key
# filter) it sums.
HEADLINE_MEASURES = {
    "stations": "stations",
    "workers_registered": "workers",
    "visits": "visits",
    "needs_submitted": "needs_submitted",
    "needs_resolved": "needs_resolved",
    "reports_submitted": "reports_submitted",
    "reports_fixed": "reports_fixed",
    "volunteer_hours": "volunteer_minutes",
    "points_issued": "points_issued",
    "redemptions": "redemptions",
}


def _choices(source_name: str, field: str) -> dict[str, str]:
    for source in SOURCES:
        if source.measure == source_name:
            model = source.rows().model
            return {str(k): str(v) for k, v in model._meta.get_field(field).choices}
    return {}


def figures_regions(*, actor):
    """The regions the actor may read figures of (their subtrees), shortest code first."""
    qs = regions_selectors.regions_all()
    return permissions.scope_queryset(actor, VIEW, qs)


def figures_region(*, actor, code: str | None):
    """The region the figures are asked for: by code among those the actor may read (404 for
    one outside their scope, alike an unknown one; 403 with no role for figures at all), or by
    default the widest region they may read."""
    if code:
        return permissions.get_scoped(actor, VIEW, regions_selectors.regions_all(), code=code)
    permissions.require(actor, VIEW)
    regions = list(figures_regions(actor=actor).order_by("code_prefix")[:50])
    if not regions:
        raise NotFound(_("没有这项内容。"), code=CoreError.NOT_FOUND, extra={"entity": "region"})
    return min(regions, key=lambda region: (len(region.code_prefix), region.code))


def figures_period(*, region, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The period asked for, checked: defaults to the month so far; `from` ≤ `to`; at most
    `MAX_SPAN_DAYS` days."""
    if date_to is None:
        date_to = timezone.localtime(timezone.now(), zone_of(region)).date()
    if date_from is None:
        date_from = date_to.replace(day=1)
    if date_from > date_to:
        raise InvalidInput(
            gettext_lazy("开始日期不能晚于结束日期。"),
            errors=[
                field_error(
                    "from", CoreError.INVALID_INPUT, gettext_lazy("开始日期不能晚于结束日期。")
                )
            ],
        )
    if (date_to - date_from).days + 1 > MAX_SPAN_DAYS:
        message = gettext_lazy("统计区间太长。")
        raise InvalidInput(
            message,
            errors=[field_error("from", CoreError.INVALID_INPUT, message)],
            extra={"max_days": MAX_SPAN_DAYS},
        )
    return date_from, date_to


def _months(date_from: date, date_to: date) -> list[tuple[date, date]]:
    months = []
    start = date_from
    while start <= date_to:
        end = month_end(start)
        months.append((start, min(end, date_to)))
        start = end + timedelta(days=1)
    return months


def _cells_q(date_from: date, date_to: date) -> Q:
    """The rolled cells a period reads: the month rows of its whole months and the day rows of
    its other days; for stocks also everything before it (the month rows of the months before
    `from`'s, the day rows of that month before `from`)."""
    months, period = [], Q()
    for start, end in _months(date_from, date_to):
        if start.day == 1 and end == month_end(start):
            months.append(start)
        else:
            period |= Q(grain="d", day__gte=start, day__lte=end)
    if months:
        period |= Q(grain="m", day__in=months)
    first_month = date_from.replace(day=1)
    before = Q(grain="m", day__lt=first_month) | Q(
        grain="d", day__gte=first_month, day__lt=date_from
    )
    return period | (Q(measure__in=STOCKS) & before)


def _distinct_parts(date_from: date, date_to: date) -> list[tuple[str, list[date]]]:
    """The FigurePerson rows that together hold each person of the period once or more, as
    (grain, starts): the year rows of the years wholly inside it, the month rows of its other
    whole months, the day rows of its other days."""
    years, months, days = [], [], []
    start = date_from
    while start <= date_to:
        year_end = start.replace(month=12, day=31)
        if start.month == 1 and start.day == 1 and year_end <= date_to:
            years.append(start)
            start = year_end + timedelta(days=1)
            continue
        last_day = month_end(start)
        if start.day == 1 and last_day <= date_to:
            months.append(start)
        else:
            last = min(last_day, date_to)
            days.extend(start + timedelta(days=n) for n in range((last - start).days + 1))
        start = last_day + timedelta(days=1)
    return [
        (grain, starts) for grain, starts in (("y", years), ("m", months), ("d", days)) if starts
    ]


def _distinct_people(prefix: str, date_from: date, date_to: date) -> dict[str, int]:
    """measure → distinct people of the region over the period: the stored size of the month
    or year holding the period where no one of that measure was counted in it outside the
    period, else counted from the rows."""
    measures = [source.measure for source in PERSON_SOURCES]
    found, rest = _people_stored(prefix, date_from, date_to, measures)
    if rest:
        found.update(_people_counted(prefix, date_from, date_to, rest))
    return found


def _holding(date_from: date, date_to: date) -> tuple[str, date, date] | None:
    """The month, else the year, that holds the whole period: (grain, first day, last day)."""
    if (date_from.year, date_from.month) == (date_to.year, date_to.month):
        return "m", date_from.replace(day=1), month_end(date_from)
    if date_from.year == date_to.year:
        return "y", date_from.replace(month=1, day=1), date_from.replace(month=12, day=31)
    return None


def _people_stored(
    prefix: str, date_from: date, date_to: date, measures: list[str]
) -> tuple[dict[str, int], list[str]]:
    """The measures whose people over the period are exactly the people of the month or year
    holding it, because that month or year has no day row outside the period (a whole month
    or year; this month or this year so far, when nothing is dated later): their stored
    `PeopleCount` (none stored: nobody), in one query that probes the unique index for a row
    outside. Returns those counts and the measures left to count."""
    holding = _holding(date_from, date_to)
    if holding is None:
        return {}, measures
    grain, first, last = holding
    days = FigurePerson.objects.filter(
        measure=OuterRef("measure"), rolled=True, grain="d", region_code=prefix
    )
    stored = (
        PeopleCount.objects.filter(
            region_code=prefix, grain=grain, start=first, measure__in=measures
        )
        # Two probes, each one range of the index (an OR of them would be a filter over
        # every day row of the region).
        .annotate(
            before=Exists(days.filter(start__gte=first, start__lt=date_from)),
            after=Exists(days.filter(start__gt=date_to, start__lte=last)),
        )
        .values_list("measure", "people", "before", "after")
    )
    found = dict.fromkeys(measures, 0)
    rest = []
    for measure, people, before, after in stored:
        if before or after:
            del found[measure]
            rest.append(measure)
        else:
            found[measure] = people
    return found, rest


def _people_counted(
    prefix: str, date_from: date, date_to: date, measures: list[str]
) -> dict[str, int]:
    """measure → distinct people over the period counted from the rows, in one statement.

    Each part is one range of the roll-up's unique index (measure, rolled, grain, region,
    start, person), which PostgreSQL answers from the index alone. One part with one start
    (a single day) holds each person once, counted without a distinct; otherwise the parts
    are joined, made distinct and counted (an OR of the parts would read the region's every
    row). This costs in proportion to the people of the parts."""
    parts = _distinct_parts(date_from, date_to)
    one_set = len(parts) == 1 and len(parts[0][1]) == 1
    selects = []
    params: list = []
    for measure in measures:
        ranges, range_params = [], []
        for grain, starts in parts:
            qs = (
                FigurePerson.objects.filter(
                    measure=measure,
                    rolled=True,
                    grain=grain,
                    region_code=prefix,
                    start__in=starts,
                )
                .order_by()
                .values_list("person_id")
            )
            sql, part_params = qs.query.sql_with_params()
            ranges.append(f"SELECT * FROM ({sql}) part")
            range_params.extend(part_params)
        people = (
            ranges[0] if one_set else f"SELECT DISTINCT * FROM ({' UNION ALL '.join(ranges)}) u"
        )
        selects.append(f"SELECT CAST(%s AS VARCHAR(32)), COUNT(*) FROM ({people}) people")
        params.extend((measure, *range_params))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return dict(cursor.fetchall())


def _breakdown(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    return [
        {"key": key, "label": labels.get(key, key), "value": value}
        for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if value
    ]


def _split(cells: dict[str, int], position: int) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for key, value in cells.items():
        parts = key.split("|")
        out[parts[position] if position < len(parts) else ""] += value
    return dict(out)


def _headline(flows: dict[str, int], stocks: dict[str, int]) -> dict:
    row = {}
    for field, measure in HEADLINE_MEASURES.items():
        value = stocks.get(measure, 0) if measure in STOCKS else flows.get(measure, 0)
        row[field] = round(value / 60, 2) if field == "volunteer_hours" else value
    return row


def figures_compute(*, region, date_from: date, date_to: date) -> FiguresOut:
    """Every figure of `region` (a Region the caller may read) over `date_from`..`date_to`."""
    prefix = region.code_prefix
    headline = set(HEADLINE_MEASURES.values())

    # One pass over the region's cells up to `to` (month rows for whole months, day rows for
    # the rest): every measure in the period by key and month (flows, their breakdowns and the
    # series), and the stocks' cells before it.
    flow: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    stock: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    month_flow: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cells = (
        DailyFigure.objects.filter(_cells_q(date_from, date_to), rolled=True, region_code=prefix)
        .order_by()
        .values_list("measure", "key", "day")
        .annotate(total=Sum("value"))
    )
    for measure, key, day, value in cells:
        if measure in STOCKS:
            stock[measure][key] += value
        if day < date_from:
            continue
        flow[measure][key] += value
        if measure in headline:
            month_flow[day.replace(day=1)][measure] += value

    def total(cells: dict[str, dict[str, int]], measure: str) -> int:
        return sum(cells.get(measure, {}).values())

    # Children: the headline measures by child prefix.
    children = list(regions_selectors.region_list(parent_code=region.code).order_by("code"))
    by_region = []
    if children:
        child_flow: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        child_stock: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        rows = (
            DailyFigure.objects.filter(
                _cells_q(date_from, date_to),
                rolled=True,
                region_code__in=[child.code_prefix for child in children],
                measure__in=headline,
            )
            .order_by()
            .values_list("region_code", "measure")
            .annotate(
                period=Sum("value", filter=Q(day__gte=date_from)),
                all_time=Sum("value"),
            )
        )
        for child, measure, period, all_time in rows:
            child_flow[child][measure] += period or 0
            child_stock[child][measure] += all_time or 0
        for child in children:
            key = child.code_prefix
            by_region.append(
                {
                    "region": {"code": child.code, "name": child.name},
                    "level": child.level,
                    **_headline(child_flow.get(key, {}), child_stock.get(key, {})),
                }
            )

    # Series: the headline measures by month.
    series = []
    running = {measure: total(stock, measure) - total(flow, measure) for measure in STOCKS}
    for start, end in _months(date_from, date_to):
        month_cells = month_flow.get(start.replace(day=1), {})
        for measure in STOCKS:
            running[measure] += month_cells.get(measure, 0)
        series.append(
            {
                "month": start.strftime("%Y-%m"),
                "date_from": start,
                "date_to": end,
                **_headline(month_cells, running),
            }
        )

    # Distinct people over the period.
    people = _distinct_people(prefix, date_from, date_to)

    stations = stock.get("stations", {})
    stars = _split(stations, 3)
    ratings = flow.get("need_ratings", {})
    rating_count = sum(ratings.values())
    rating_sum = sum(int(k or 0) * v for k, v in ratings.items())
    fix = flow.get("reports_fix_hours", {})
    fix_hours = sorted((int(k), v) for k, v in fix.items())
    party = stock.get("party_members", {})
    party_flow = flow.get("party_members", {})
    reports = flow.get("reports_submitted", {})
    resolved = flow.get("needs_resolved", {})

    item_labels = dict(catalog_selectors.items_active().values_list("code", "name"))
    category_labels = dict(reports_selectors.category_list().values_list("code", "name"))
    station_kinds = _choices("stations", "kind")
    station_origins = _choices("stations", "origin")
    partner_kinds = _choices("partners", "kind")
    occupations = _choices("workers", "occupation")
    report_statuses = _choices("reports_submitted", "status")

    def star_label(key: str) -> str:
        return _("未评星") if key == "0" else _("%(n)s星") % {"n": key}

    return FiguresOut.model_validate(
        {
            "region": {"code": region.code, "name": region.name},
            "level": region.level,
            "date_from": date_from,
            "date_to": date_to,
            "time_zone": str(zone_of(region)),
            "stations": {
                "total": total(stock, "stations"),
                "by_kind": _breakdown(_split(stations, 0), station_kinds),
                "by_origin": _breakdown(_split(stations, 1), station_origins),
                "open_24h": _split(stations, 2).get("1", 0),
                "by_stars": (
                    [
                        {"key": str(n), "label": star_label(str(n)), "value": stars.get(str(n), 0)}
                        for n in range(6)
                    ]
                    if any(stars.get(str(n)) for n in range(1, 6))
                    else None
                ),
            },
            "partners": {
                "total": total(stock, "partners"),
                "by_kind": _breakdown(dict(stock.get("partners", {})), partner_kinds),
            },
            "workers": {
                "registered": total(stock, "workers"),
                "registered_in_period": total(flow, "workers"),
                "by_occupation": _breakdown(dict(stock.get("workers", {})), occupations),
            },
            "visits": {"count": total(flow, "visits"), "workers": people.get("visitors", 0)},
            "needs": {
                "submitted": total(flow, "needs_submitted"),
                "resolved": total(flow, "needs_resolved"),
                "resolved_on_time": resolved.get("on_time", 0),
                "rating_avg": round(rating_sum / rating_count, 2) if rating_count else None,
                "ratings": rating_count,
                "by_item": _breakdown(
                    dict(flow.get("needs_submitted", {})), {"": _("其他"), **item_labels}
                ),
            },
            "wishes": {
                "posted": total(flow, "wishes_posted"),
                "fulfilled": total(flow, "wishes_fulfilled"),
            },
            "problems": {
                "raised": total(flow, "problems_raised"),
                "solved": total(flow, "problems_solved"),
            },
            "reports": {
                "submitted": total(flow, "reports_submitted"),
                "by_status": _breakdown(_split(reports, 1), report_statuses),
                "fixed": total(flow, "reports_fixed"),
                "median_hours_to_fix": _median_hours(fix_hours),
                "by_category": _breakdown(_split(reports, 0), category_labels),
            },
            "volunteering": {
                "teams": total(stock, "teams"),
                "volunteers": people.get("volunteers", 0),
                "activities": total(flow, "activities"),
                "hours": round(total(flow, "volunteer_minutes") / 60, 2),
            },
            "points": {
                "issued": total(flow, "points_issued"),
                "redeemed": total(flow, "points_redeemed"),
                "redemptions": total(flow, "redemptions"),
            },
            "party": {
                "members_identified": sum(
                    v for k, v in party.items() if k.split("|")[0] in ("full", "probationary")
                ),
                "reregistered": sum(v for k, v in party_flow.items() if k.endswith("|1")),
                "branches": total(stock, "branches"),
            },
            "station_services": {
                "events": total(flow, "service_events"),
                "people_served": total(flow, "service_people"),
                "bottles": total(flow, "service_bottles"),
            },
            "by_region": by_region,
            "series": series,
        }
    )


def _median_hours(histogram: list[tuple[int, int]]) -> int | None:
    """The lower median of whole hours to fix, given as (hours, count) pairs."""
    count = sum(n for _hours, n in histogram)
    if not count:
        return None
    middle = (count - 1) // 2
    seen = 0
    for hours, n in histogram:
        seen += n
        if seen > middle:
            return hours
    return None


def figures_differences(*, region_code: str | None = None, limit: int = 1000) -> list[str]:
    """Recount every roll-up cell of the region (default: everywhere) from the rows, and every
    region's sums from those cells, and name each cell that differs:
    `measure region day [key]: roll-up X, recount Y`. Distinct-people rows are compared as
    sets per measure, region and day or month."""
    prefix = regions_selectors.region_get(code=region_code).code_prefix if region_code else ""
    zone = region_zone(region_code)
    found: list[str] = []

    def compare(label: str, kept: dict, recount: dict, show, empty=0) -> None:
        for cell in sorted(set(recount) | set(kept)):
            ours, theirs = kept.get(cell, empty), recount.get(cell, empty)
            if ours != theirs:
                found.append(f"{label} {show(cell, ours, theirs)}")

    def cell_text(cell, kept, recount) -> str:
        code, day, key = cell
        return f"{code} {day} [{key}]: roll-up {kept}, recount {recount}"

    def in_scope(code: str) -> bool:
        return code.startswith(prefix) or (len(code) < len(prefix) and prefix.startswith(code))

    for source in SOURCES:
        recount: dict[tuple[str, date, str], int] = defaultdict(int)
        for code, day, key, value in source_rows(source, prefix=prefix, zone=zone):
            recount[(code, day, key)] += value
        kept = _cells(source.measure, rolled=False, prefix=prefix)
        compare(source.measure, kept, recount, cell_text)
        # Every region's sums, from the cells counted from rows (all of them: a region above
        # the scope sums cells outside it too).
        sums: dict[tuple[str, date, str], int] = defaultdict(int)
        for (code, day, key), value in _cells(source.measure, rolled=False, prefix="").items():
            for length in LEVELS:
                if len(code) >= length and in_scope(code[:length]):
                    sums[(code[:length], day, key)] += value
        rolled = {
            cell: value
            for cell, value in _cells(source.measure, rolled=True, prefix="").items()
            if in_scope(cell[0])
        }
        compare(f"{source.measure} (sum)", rolled, sums, cell_text)
        # And the month rows, from the same sums.
        month_sums: dict[tuple[str, date, str], int] = defaultdict(int)
        for (code, day, key), value in sums.items():
            month_sums[(code, day.replace(day=1), key)] += value
        months = {
            cell: value
            for cell, value in _cells(source.measure, rolled=True, prefix="", grain="m").items()
            if in_scope(cell[0])
        }
        compare(f"{source.measure} (month sum)", months, month_sums, cell_text)

    def people_text(cell, kept, recount) -> str:
        grain, code, start = cell
        return (
            f"{code} {grain}{start}: roll-up {len(kept or ())} people, recount {len(recount or ())}"
        )

    def size_text(cell, kept, recount) -> str:
        grain, code, start = cell
        return f"{code} {grain}{start}: stored {kept} people, recount {recount}"

    for source in PERSON_SOURCES:
        days: dict[tuple[str, str, date], set[int]] = defaultdict(set)
        for code, day, person in person_rows(source, prefix=prefix, zone=zone):
            days[("d", code, day)].add(person)
        kept_rows = FigurePerson.objects.filter(measure=source.measure).values_list(
            "rolled", "grain", "region_code", "start", "person_id"
        )
        kept: dict[tuple[str, str, date], set[int]] = defaultdict(set)
        kept_rolled: dict[tuple[str, str, date], set[int]] = defaultdict(set)
        finest_all: dict[tuple[str, date], set[int]] = defaultdict(set)
        for rolled, grain, code, start, person in kept_rows:
            if rolled:
                if in_scope(code):
                    kept_rolled[(grain, code, start)].add(person)
            else:
                finest_all[(code, start)].add(person)
                if code.startswith(prefix):
                    kept[(grain, code, start)].add(person)
        compare(source.measure, kept, days, people_text, set())
        sums: dict[tuple[str, str, date], set[int]] = defaultdict(set)
        for (code, day), people in finest_all.items():
            for length in LEVELS:
                if len(code) >= length and in_scope(code[:length]):
                    sums[("d", code[:length], day)] |= people
                    sums[("m", code[:length], day.replace(day=1))] |= people
                    sums[("y", code[:length], day.replace(month=1, day=1))] |= people
        compare(f"{source.measure} (sum)", kept_rolled, sums, people_text, set())
        # The stored size of every whole month and year.
        sizes = {
            (grain, code, start): people
            for code, grain, start, people in PeopleCount.objects.filter(
                measure=source.measure
            ).values_list("region_code", "grain", "start", "people")
            if in_scope(code)
        }
        recounted = {cell: len(people) for cell, people in sums.items() if cell[0] != "d"}
        compare(f"{source.measure} (people count)", sizes, recounted, size_text)
    return found[:limit]


def _cells(
    measure: str, *, rolled: bool, prefix: str, grain: str = "d"
) -> dict[tuple[str, date, str], int]:
    rows = DailyFigure.objects.filter(measure=measure, rolled=rolled, grain=grain)
    if prefix:
        rows = rows.filter(region_code__startswith=prefix)
    return {
        (code, day, key): value
        for code, day, key, value in rows.values_list("region_code", "day", "key", "value")
    }
