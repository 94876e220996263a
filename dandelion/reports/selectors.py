"""Reads of reports: the public list and map, the nearby-duplicates check, a reporter's own
reports, the staff queue, categories and routing."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core import geo
from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.geo import BBox
from dandelion.core.permissions import require, scope_queryset
from dandelion.regions.selectors import region_at_point, region_get, regions_near

from .errors import ReportsError
from .models import Report, ReportCategory, ReportEvent, ReportPhoto, ReportSupporter, RoutingRule
from .statuses import CLOSED_STATUSES

DUPLICATE_RADIUS_M = 50.0
DUPLICATE_WINDOW = timedelta(days=7)
DUPLICATE_H3_RES = 9
# Where no street or community boundary holds a point, it belongs to the street whose centre is
# nearest, within this many degrees (~20 km): the honest approximation without boundaries.
REGION_SEARCH_DEGREES = 0.2


def no_such_report() -> NotFound:
    return NotFound(_("没有这条随手拍。"), code=CoreError.NOT_FOUND, extra={"entity": "report"})


# ---- categories and places ----


def categories_for_region(*, region) -> QuerySet[ReportCategory]:
    """Active categories offered at `region`: those of the region or of any region above it."""
    prefixes = [region.code[:n] for n in range(2, len(region.code) + 1)]
    return (
        ReportCategory.objects.filter(
            is_active=True, city_code=region.city_code, region__code_prefix__in=prefixes
        )
        .prefetch_related("attributes")
        .order_by("order", "code")
    )


def categories_for_region_code(*, code: str) -> QuerySet[ReportCategory]:
    """Active categories offered at the region with division code `code` (404 if none)."""
    return categories_for_region(region=region_get(code=code))


def category_list(*, city_code: str | None = None) -> QuerySet[ReportCategory]:
    qs = ReportCategory.objects.filter(is_active=True).select_related("region")
    if city_code:
        qs = qs.filter(city_code=city_code)
    return qs.prefetch_related("attributes").order_by("city_code", "order", "code")


def category_get(*, code: str, city_code: str | None = None) -> ReportCategory:
    qs = category_list(city_code=city_code).filter(code=code)
    category = qs.first()
    if category is None:
        raise NotFound(
            _("没有这个问题类别：%(code)s。") % {"code": code},
            code=CoreError.NOT_FOUND,
            extra={"entity": "report_category", "code": code},
        )
    return category


def region_for_point(*, lat: float, lng: float):
    """The region a point lies in: the deepest region whose boundary holds it, when that is a
    street or a community; else the street with the nearest centre (inside the deepest region
    holding the point, when one does), or the nearest district."""
    holding = region_at_point(lat=lat, lng=lng)
    if holding is not None and holding.level in ("street", "community"):
        return holding
    for level in ("street", "district"):
        candidates = regions_near(lat=lat, lng=lng, degrees=REGION_SEARCH_DEGREES, levels=[level])
        if holding is not None:
            candidates = [r for r in candidates if holding.contains(r)]
        best = min(
            candidates,
            key=lambda r: geo.haversine_m(lat, lng, r.center_lat, r.center_lng),
            default=None,
        )
        if best is not None:
            return best
    if holding is not None:
        return holding
    message = _("这个位置不在服务范围内")
    code = ReportsError.OUTSIDE_SERVICE_AREA
    raise InvalidInput(message, code=code, errors=[field_error("lat", code, message)])


def categories_for_point(*, lat: float, lng: float) -> QuerySet[ReportCategory]:
    """Active categories offered where a WGS-84 point lies: those of its region (the nearest
    street, see `region_for_point`), which is also where a report made there is routed."""
    return categories_for_region(region=region_for_point(lat=lat, lng=lng))


def routing_target(*, category: ReportCategory, region):
    """The organisation a report of `category` at `region` goes to, or None (the dispatcher
    routes it by hand)."""
    prefixes = [region.code[:n] for n in range(2, len(region.code) + 1)]
    rules = (
        RoutingRule.objects.filter(region__code_prefix__in=prefixes, organisation__is_active=True)
        .filter(Q(category=category) | Q(category__isnull=True))
        .select_related("region", "organisation")
    )
    ranked = sorted(
        rules, key=lambda r: (len(r.region.code_prefix), r.category_id is not None), reverse=True
    )
    return ranked[0].organisation if ranked else None


# ---- reports ----


def _with_public_relations(qs: QuerySet[Report]) -> QuerySet[Report]:
    return (
        qs.select_related("category", "region", "organisation")
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.order_by("order", "id")))
        .annotate(support_count=Count("supporters", distinct=True))
    )


def report_list_public(
    *,
    bbox: BBox | None = None,
    category_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    region_code: str | None = None,
) -> QuerySet[Report]:
    qs = Report.objects.all()
    if bbox:
        min_lng, min_lat, max_lng, max_lat = bbox
        qs = qs.filter(lat__range=(min_lat, max_lat), lng__range=(min_lng, max_lng))
    if category_codes:
        qs = qs.filter(category__code__in=category_codes)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if region_code:
        qs = qs.filter(region__code__startswith=_prefix_of(region_code))
    return _with_public_relations(qs).order_by("-created_at", "-id")


def _prefix_of(code: str) -> str:
    return region_get(code=code).code_prefix


def report_get(*, report_id: int) -> Report:
    report = (
        _with_public_relations(Report.objects.filter(pk=report_id))
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS).order_by(
                    "created_at", "id"
                ),
                to_attr="public_updates",
            )
        )
        .first()
    )
    if report is None:
        raise no_such_report()
    return report


def reports_nearby_open(
    *,
    category: ReportCategory,
    lat: float,
    lng: float,
    now: datetime | None = None,
    radius_m: float = DUPLICATE_RADIUS_M,
) -> list[Report]:
    """Open reports of the same category within `radius_m` made in the last 7 days, nearest
    first: the candidates for "me too" instead of a new report. H3 cells narrow the search to
    the grid disk sure to cover the radius; haversine decides."""
    now = now or timezone.now()
    k = 1
    while geo.h3_safe_radius_m(DUPLICATE_H3_RES, k) < radius_m:
        k += 1
    cells = geo.h3_disk(lat, lng, DUPLICATE_H3_RES, k)
    candidates = _with_public_relations(
        Report.objects.filter(
            h3_r9__in=cells,
            category=category,
            created_at__gte=now - DUPLICATE_WINDOW,
        ).exclude(status__in=CLOSED_STATUSES)
    )
    hits = []
    for report in candidates:
        distance = geo.haversine_m(lat, lng, report.lat, report.lng)
        if distance <= radius_m:
            report.distance_m = distance
            hits.append(report)
    return sorted(hits, key=lambda r: r.distance_m)


def reports_of(*, user) -> QuerySet[Report]:
    """What a person reported or supports, newest first."""
    supported = ReportSupporter.objects.filter(report=OuterRef("pk"), user=user)
    return (
        _with_public_relations(Report.objects.filter(Q(reporter=user) | Q(Exists(supported))))
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS).order_by(
                    "created_at", "id"
                ),
                to_attr="public_updates",
            )
        )
        .order_by("-created_at", "-id")
    )


def support_count(*, report: Report) -> int:
    return report.supporters.count()


def is_supporter(*, report: Report, user) -> bool:
    if not (user and user.is_authenticated):
        return False
    return ReportSupporter.objects.filter(report=report, user=user).exists()


# ---- staff ----


def report_staff_list(
    *,
    actor,
    statuses: list[str] | None = None,
    category_codes: list[str] | None = None,
    organisation_id: int | None = None,
    region_code: str | None = None,
    unrouted: bool = False,
    text: str = "",
) -> QuerySet[Report]:
    """Reports in the caller's scope (their region, or routed to their organisation)."""
    qs = scope_queryset(actor, "report.view_staff", Report.objects.all())
    if statuses:
        qs = qs.filter(status__in=statuses)
    if category_codes:
        qs = qs.filter(category__code__in=category_codes)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if unrouted:
        qs = qs.filter(organisation__isnull=True)
    if region_code:
        qs = qs.filter(region__code__startswith=_prefix_of(region_code))
    if text:
        qs = qs.filter(Q(description__icontains=text) | Q(address__icontains=text))
    return (
        _with_public_relations(qs)
        .select_related("reporter", "duplicate_of")
        .order_by("-created_at", "-id")
    )


def report_queue(*, actor, **filters) -> QuerySet[Report]:
    """The console's queue (`report_staff_list`), refused (403) to someone who holds no staff
    view of reports anywhere."""
    require(actor, "report.view_staff")
    return report_staff_list(actor=actor, **filters)


def report_staff_get(*, actor, report_id: int) -> Report:
    report = (
        _with_public_relations(Report.objects.filter(pk=report_id))
        .select_related("reporter", "duplicate_of", "api_key")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.select_related("actor", "organisation").order_by(
                    "created_at", "id"
                ),
                to_attr="all_events",
            )
        )
        .first()
    )
    if report is None:
        raise no_such_report()
    require(actor, "report.view_staff", report)
    return report


def triage_count(user) -> int:
    """The console badge: reports waiting for triage in the caller's scope."""
    return (
        scope_queryset(user, "report.view_staff", Report.objects.all())
        .filter(status__in=["for_triage", "reopen"])
        .count()
    )


def followers_of(report: Report) -> list:
    """Everyone told about a report's progress: its reporter and its supporters."""
    users = get_user_model().objects.filter(
        Q(pk=report.reporter_id) | Q(report_supports__report=report), is_active=True
    )
    return list(users.distinct())


def organisation_handlers(organisation) -> list:
    """People who handle what is routed to `organisation`: department handlers assigned to it
    and its active handler members."""
    if organisation is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            Q(
                role_assignments__role="department_handler",
                role_assignments__organisation=organisation,
            )
            | Q(
                memberships__organisation=organisation,
                memberships__role="handler",
                memberships__status="active",
            ),
            is_active=True,
        )
        .distinct()
    )


def updates_since(
    *, city_code: str, start: datetime | None, end: datetime | None, limit: int = 1000
) -> QuerySet[ReportEvent]:
    """Public updates (status events) of a city's reports, for Open311 servicerequestupdates."""
    qs = ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS, report__city_code=city_code)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    return qs.order_by("-created_at", "-id")[:limit]


def mark_contactable(actor, reports: list[Report]) -> None:
    """Answer `report.contact_reporter` for a page of reports in one query (lists)."""
    ids = set(
        scope_queryset(
            actor, "report.contact_reporter", Report.objects.filter(pk__in=[r.pk for r in reports])
        ).values_list("pk", flat=True)
    )
    for report in reports:
        report.contactable = report.pk in ids


# ---- Open311 ----


def category_city_codes(*, limit: int) -> list[str]:
    """The cities (division codes) with active categories, at most `limit` of them."""
    return list(
        ReportCategory.objects.filter(is_active=True)
        .order_by("city_code")
        .values_list("city_code", flat=True)
        .distinct()[:limit]
    )


def _open311_rows(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.select_related("category", "organisation").prefetch_related("photos")


def open311_requests(
    *,
    city_code: str,
    ids: list[int] | None = None,
    category_codes: list[str] | None = None,
    open311_status: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    offset: int = 0,
    limit: int = 1000,
) -> QuerySet[Report]:
    """A city's requests, newest first: those with `ids` (which override every other filter),
    else by category, Open311 status (`open`/`closed`) and creation time."""
    qs = Report.objects.filter(city_code=city_code)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    else:
        if category_codes:
            qs = qs.filter(category__code__in=category_codes)
        if open311_status == "open":
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        elif open311_status == "closed":
            qs = qs.filter(status__in=CLOSED_STATUSES)
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
    return _open311_rows(qs).order_by("-created_at", "-id")[offset : offset + limit]


def open311_request(*, city_code: str, report_id: int) -> Report | None:
    return _open311_rows(Report.objects.filter(city_code=city_code, pk=report_id)).first()


def report_by_token(*, city_code: str, token) -> Report | None:
    return Report.objects.filter(city_code=city_code, token=token).only("pk", "token").first()


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {"reports": Report.objects.all()}


# ---- for the standards app (complaints about a station) ----


def _near(qs: QuerySet[Report], *, lat: float, lng: float, radius_m: float) -> list[Report]:
    south, west, north, east = geo.bbox_for_radius(lat, lng, radius_m)
    rows = qs.filter(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)
    return [r for r in rows if geo.haversine_m(lat, lng, r.lat, r.lng) <= radius_m]


def reports_near_counts(
    *, lat: float, lng: float, radius_m: float, since: datetime, until: datetime
) -> dict[str, int]:
    """Reports filed within `radius_m` of a point between `since` and `until` (not duplicates):
    how many, and how many are fixed or closed by now. The standards app reads them as the
    complaints about a station there."""
    qs = Report.objects.filter(created_at__gte=since, created_at__lt=until).exclude(
        status="duplicate"
    )
    rows = _near(qs.only("id", "lat", "lng", "status"), lat=lat, lng=lng, radius_m=radius_m)
    return {
        "total": len(rows),
        "fixed": sum(1 for r in rows if r.status in CLOSED_STATUSES),
    }


def reports_near_unfixed(
    *, lat: float, lng: float, radius_m: float, filed_before: datetime
) -> list[int]:
    """Ids of reports within `radius_m` of a point, filed before `filed_before` and still not
    fixed or closed, oldest first (the standards app's unfixed-complaint veto)."""
    qs = (
        Report.objects.filter(created_at__lt=filed_before)
        .exclude(status__in=CLOSED_STATUSES)
        .only("id", "lat", "lng")
        .order_by("created_at", "id")
    )
    return [r.pk for r in _near(qs, lat=lat, lng=lng, radius_m=radius_m)]
