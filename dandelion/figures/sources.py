"""What each roll-up measure counts, declared once: which rows (through the owning app's
`rows_for_figures` selector), which region and which time date them, how they split into keys
and what is summed.

The same declaration serves the roll-up (grouped by region code and local day, for any set of
regions and days), its rebuild and the recount `figures_check` compares with, so the roll-up
and the recount cannot drift apart by definition: only by missed updates, which the check
finds.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from dandelion.accounts import selectors as accounts_selectors
from dandelion.needs import selectors as needs_selectors
from dandelion.orgs import selectors as orgs_selectors
from dandelion.points import selectors as points_selectors
from dandelion.reports import selectors as reports_selectors
from dandelion.stations import selectors as stations_selectors
from dandelion.volunteering import selectors as volunteering_selectors

# (region_code, day, key, value)
Row = tuple[str, date, str, int]


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value("1")), default=Value("0"), output_field=CharField())


def _text(field: str) -> Coalesce:
    return Coalesce(Cast(field, CharField()), Value(""), output_field=CharField())


def _joined(*parts) -> Concat:
    items: list = []
    for index, part in enumerate(parts):
        if index:
            items.append(Value("|"))
        items.append(part)
    return Concat(*items, output_field=CharField())


@dataclass(frozen=True)
class Source:
    """One measure. `region` is the foreign-key path to the row's region, `when` the field that
    dates it (a datetime taken in the region's time zone, or a date when `is_date`)."""

    measure: str
    rows: Callable[[], QuerySet]
    region: str
    when: str
    where: Callable[[], Q] | None = None
    key: Callable[[QuerySet], object] | None = None
    value: Callable[[], object] | None = None
    is_date: bool = False
    stock: bool = False
    # Rows computed in Python instead (a key the databases cannot compute alike).
    python: Callable[[QuerySet, ZoneInfo], Iterable[Row]] | None = None
    # A distinct-people measure: the path to the person's id.
    person: str | None = None


def _station_key(qs: QuerySet):
    return _joined(F("kind"), F("origin"), _flag(Q(is_24h=True)), _text("stars"))


class MinutesBetween(Func):
    """Whole minutes from one datetime to a later one, alike on PostgreSQL and SQLite."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        start, end = (compiler.compile(e) for e in self.source_expressions)
        sql = f"FLOOR(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 60)::integer"
        return sql, (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.source_expressions)
        sql = (
            f"((CAST(strftime('%%s', {end[0]}) AS INTEGER)"
            f" - CAST(strftime('%%s', {start[0]}) AS INTEGER)) / 60)"
        )
        return sql, (*end[1], *start[1])


def _stations():
    return stations_selectors.rows_for_figures()


def _needs():
    return needs_selectors.rows_for_figures()


SOURCES: tuple[Source, ...] = (
    # Stocks: a row enters on the day it was created (or confirmed) and counts while it lasts.
    Source(
        "stations",
        lambda: _stations()["stations"],
        "region",
        "created_at",
        where=lambda: Q(status="active"),
        key=_station_key,
        stock=True,
    ),
    Source(
        "partners",
        lambda: _stations()["partners"],
        "region",
        "created_at",
        where=lambda: Q(status="active"),
        key=lambda qs: F("kind"),
        stock=True,
    ),
    Source(
        "workers",
        lambda: accounts_selectors.rows_for_figures()["workers"],
        "work_region",
        "registered_at",
        key=lambda qs: F("occupation"),
        stock=True,
    ),
    Source(
        "teams",
        lambda: orgs_selectors.rows_for_figures()["organisations"],
        "region",
        "created_at",
        where=lambda: Q(kind="volunteer_team", is_active=True),
        stock=True,
    ),
    Source(
        "branches",
        lambda: orgs_selectors.rows_for_figures()["organisations"],
        "region",
        "created_at",
        where=lambda: Q(kind="party_branch", is_active=True),
        stock=True,
    ),
    Source(
        "party_members",
        lambda: orgs_selectors.rows_for_figures()["party_memberships"],
        "branch__region",
        "decided_at",
        where=lambda: Q(state="confirmed"),
        key=lambda qs: _joined(F("status"), _flag(Q(is_mobile=True))),
        stock=True,
    ),
    # Flows: a row counts on the day it happened.
    Source(
        "visits",
        lambda: _stations()["visits"],
        "station__region",
        "day",
        where=lambda: Q(flagged=False),
        is_date=True,
    ),
    Source(
        "service_events",
        lambda: _stations()["service_logs"],
        "station__region",
        "date",
        is_date=True,
    ),
    Source(
        "service_people",
        lambda: _stations()["service_logs"],
        "station__region",
        "date",
        is_date=True,
        value=lambda: Sum("people_served"),
    ),
    Source(
        "service_bottles",
        lambda: _stations()["service_logs"],
        "station__region",
        "date",
        is_date=True,
        value=lambda: Sum(Coalesce("bottles", 0)),
    ),
    Source(
        "needs_submitted",
        lambda: _needs()["needs"],
        "region",
        "submitted_at",
        key=lambda qs: _text("item__code"),
    ),
    Source(
        "needs_resolved",
        lambda: _needs()["needs"],
        "region",
        "resolved_at",
        key=lambda qs: Case(
            When(resolved_at__lte=F("resolve_due_at"), then=Value("on_time")),
            default=Value("late"),
            output_field=CharField(),
        ),
    ),
    Source(
        "need_ratings",
        lambda: _needs()["ratings"],
        "need__region",
        "created_at",
        key=lambda qs: _text("stars"),
    ),
    Source("wishes_posted", lambda: _needs()["wishes"], "region", "created_at"),
    Source(
        "wishes_fulfilled",
        lambda: _needs()["wishes"],
        "region",
        "fulfilled_at",
        where=lambda: Q(state="fulfilled"),
    ),
    Source("problems_raised", lambda: _needs()["problems"], "region", "raised_at"),
    Source(
        "problems_solved",
        lambda: _needs()["problems"],
        "region",
        "closed_at",
        where=lambda: Q(state="solved"),
    ),
    Source(
        "reports_submitted",
        lambda: reports_selectors.rows_for_figures()["reports"],
        "region",
        "created_at",
        key=lambda qs: _joined(F("category__code"), F("status")),
    ),
    Source(
        "reports_fixed",
        lambda: reports_selectors.rows_for_figures()["reports"],
        "region",
        "fixed_at",
    ),
    Source(
        "reports_fix_hours",
        lambda: reports_selectors.rows_for_figures()["reports"],
        "region",
        "fixed_at",
        # The whole hours (rounded down) from submission to fix: the median is read from
        # this histogram.
        key=lambda qs: Cast(MinutesBetween("created_at", "fixed_at") / 60, CharField()),
    ),
    Source(
        "volunteer_minutes",
        lambda: volunteering_selectors.rows_for_figures()["attendances"],
        "activity__region",
        "confirmed_at",
        where=lambda: Q(state="confirmed"),
        value=lambda: Sum(Coalesce("credited_minutes", 0)),
    ),
    Source(
        "activities",
        lambda: volunteering_selectors.rows_for_figures()["activities"],
        "region",
        "ends_at",
        where=lambda: Q(status__in=("published", "finished")),
    ),
    Source(
        "points_issued",
        lambda: points_selectors.rows_for_figures()["transfers"],
        "debit__region",
        "occurred_at",
        where=lambda: Q(reason="award"),
        value=lambda: Sum("amount"),
    ),
    Source(
        "redemptions",
        lambda: points_selectors.rows_for_figures()["redemptions"],
        "reward__region",
        "created_at",
        where=lambda: ~Q(status="cancelled"),
    ),
    Source(
        "points_redeemed",
        lambda: points_selectors.rows_for_figures()["redemptions"],
        "reward__region",
        "created_at",
        where=lambda: ~Q(status="cancelled"),
        value=lambda: Sum("price"),
    ),
)

PERSON_SOURCES: tuple[Source, ...] = (
    Source(
        "visitors",
        lambda: _stations()["visits"],
        "station__region",
        "day",
        where=lambda: Q(flagged=False),
        is_date=True,
        person="user_id",
    ),
    Source(
        "volunteers",
        lambda: volunteering_selectors.rows_for_figures()["attendances"],
        "activity__region",
        "confirmed_at",
        where=lambda: Q(state="confirmed"),
        person="user_id",
    ),
)

BY_MEASURE = {source.measure: source for source in SOURCES + PERSON_SOURCES}
STOCKS = frozenset(source.measure for source in SOURCES if source.stock)


def local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _selected(
    source: Source,
    *,
    prefix: str,
    codes: Iterable[str] | None,
    day_from: date | None,
    day_to: date | None,
    zone: ZoneInfo,
) -> QuerySet:
    qs = source.rows()
    if source.where is not None:
        qs = qs.filter(source.where())
    qs = qs.filter(**{f"{source.region}__isnull": False, f"{source.when}__isnull": False})
    if prefix:
        qs = qs.filter(**{f"{source.region}__code__startswith": prefix})
    if codes is not None:
        qs = qs.filter(**{f"{source.region}__code__in": list(codes)})
    if source.is_date:
        if day_from is not None:
            qs = qs.filter(**{f"{source.when}__gte": day_from})
        if day_to is not None:
            qs = qs.filter(**{f"{source.when}__lte": day_to})
    else:
        if day_from is not None:
            qs = qs.filter(**{f"{source.when}__gte": local_start(day_from, zone)})
        if day_to is not None:
            end = local_start(day_to + timedelta(days=1), zone)
            qs = qs.filter(**{f"{source.when}__lt": end})
    return qs


def _day(source: Source, zone: ZoneInfo):
    return F(source.when) if source.is_date else TruncDate(source.when, tzinfo=zone)


def source_grouped(
    source: Source,
    *,
    prefix: str = "",
    codes: Iterable[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    zone: ZoneInfo,
) -> QuerySet:
    """The measure's cells over the selected regions and days as a grouped queryset of
    `f_region, f_day, f_key, f_value`."""
    qs = _selected(source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone)
    key = source.key(qs) if source.key is not None else Value("")
    value = source.value() if source.value is not None else Count("pk")
    return (
        qs.order_by()
        .values(f_region=F(f"{source.region}__code"), f_day=_day(source, zone), f_key=key)
        .annotate(f_value=value)
    )


def source_rows(source: Source, *, zone: ZoneInfo, **selection) -> Iterator[Row]:
    """The measure's (region_code, day, key, value) cells, as `source_grouped` counts them."""
    if source.python is not None:
        yield from source.python(_selected(source, zone=zone, **_defaults(selection)), zone)
        return
    grouped = source_grouped(source, zone=zone, **selection)
    for code, day, key_value, total in grouped.values_list("f_region", "f_day", "f_key", "f_value"):
        if total:
            yield code, _as_date(day), key_value or "", int(total)


def _defaults(selection: dict) -> dict:
    return {"prefix": "", "codes": None, "day_from": None, "day_to": None, **selection}


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def person_grouped(
    source: Source,
    *,
    prefix: str = "",
    codes: Iterable[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    zone: ZoneInfo,
) -> QuerySet:
    """The distinct `f_region, f_day, f_person` of a distinct-people measure."""
    qs = _selected(source, prefix=prefix, codes=codes, day_from=day_from, day_to=day_to, zone=zone)
    return (
        qs.order_by()
        .values(
            f_region=F(f"{source.region}__code"),
            f_day=_day(source, zone),
            f_person=F(source.person),
        )
        .distinct()
    )


def person_rows(source: Source, *, zone: ZoneInfo, **selection) -> Iterator[tuple[str, date, int]]:
    for code, day, person in person_grouped(source, zone=zone, **selection).values_list(
        "f_region", "f_day", "f_person"
    ):
        yield code, _as_date(day), person
