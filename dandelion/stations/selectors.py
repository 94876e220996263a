"""All reads of stations and partner places."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.geo import BBox, haversine_m, valid_wgs84
from dandelion.core.permissions import get_scoped, scope_queryset
from dandelion.regions.selectors import region_get, regions_all

from . import place_index
from .errors import StationsError
from .hours import DayException as DayException  # re-exported: the directory reads hours
from .hours import WeeklyHours as WeeklyHours
from .hours import exception_window
from .models import (
    STARS_MAX,
    Amenity,
    HoursException,
    OpeningInterval,
    PartnerPlace,
    Place,
    ServiceKind,
    Station,
    StationServiceLog,
    StationVisit,
)
from .opening import place_hours as place_hours  # re-exported: other apps read them here
from .opening import place_is_open as place_is_open
from .opening import place_timezone as place_timezone
from .payloads import station_payload
from .place_index import AmenityInfo, IndexedPlace, PlaceIndex

NEARBY_MAX_LIMIT = 50

# A place's statuses, for callers comparing them (`place.status == PlaceStatus.ACTIVE`).
PlaceStatus = Place.Status


def amenity_list() -> QuerySet[Amenity]:
    return Amenity.objects.order_by("sort_order", "code")


def amenity_codes_validate(codes: Sequence[str], known: Iterable[str] | None = None) -> list[str]:
    """The distinct codes, in order; unknown ones refused. `known`: the catalogue's codes, when
    the caller holds them (the nearby index), else they are looked up."""
    codes = list(dict.fromkeys(c for c in codes if c))
    if not codes:
        return codes
    if known is None:
        known = Amenity.objects.filter(code__in=codes).values_list("code", flat=True)
    known = set(known)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(
            _("未知的设施代码：%(codes)s。") % {"codes": ", ".join(unknown)},
            code=StationsError.UNKNOWN_AMENITY,
            errors=[
                field_error(
                    "amenity",
                    StationsError.UNKNOWN_AMENITY,
                    _("未知的设施：%(code)s") % {"code": c},
                    loc=["query", "amenity"],
                )
                for c in unknown
            ],
        )
    return codes


def _with_all_amenities(qs: QuerySet, model: type[Place], codes: Iterable[str]) -> QuerySet:
    through = model.amenities.through
    owner = "station_id" if model is Station else "partnerplace_id"
    for code in codes:
        qs = qs.filter(
            Exists(through.objects.filter(**{owner: OuterRef("pk"), "amenity__code": code}))
        )
    return qs


def _detail_prefetches(moment: datetime) -> list:
    start, end = exception_window(timezone.localdate(moment))
    return [
        Prefetch("amenities", queryset=Amenity.objects.order_by("sort_order", "code")),
        Prefetch("hours", queryset=OpeningInterval.objects.order_by("weekday", "opens")),
        Prefetch(
            "exceptions",
            queryset=HoursException.objects.filter(date__range=(start, end)).order_by(
                "date", "opens"
            ),
            to_attr="upcoming_exceptions",
        ),
    ]


def _within_bbox(qs: QuerySet, bbox: BBox | None) -> QuerySet:
    if bbox is None:
        return qs
    min_lng, min_lat, max_lng, max_lat = bbox
    qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat)
    if min_lng <= max_lng:
        return qs.filter(lng__gte=min_lng, lng__lte=max_lng)
    return qs.filter(Q(lng__gte=min_lng) | Q(lng__lte=max_lng))  # crosses the antimeridian


def stars_validate(stars: int) -> int:
    """A star level to filter by: 0 (any) to 5, else 422 `invalid_stars`."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= STARS_MAX:
        message = _("min_stars 应在 0 到 5 之间。")
        raise InvalidInput(
            message,
            code=StationsError.INVALID_STARS,
            errors=[
                field_error(
                    "min_stars", StationsError.INVALID_STARS, message, loc=["query", "min_stars"]
                )
            ],
        )
    return stars


def station_list(
    *,
    bbox: BBox | None = None,
    region_code: str | None = None,
    kinds: Sequence[str] = (),
    amenity_codes: Sequence[str] = (),
    text: str | None = None,
    statuses: Sequence[str] = (Place.Status.ACTIVE,),
    min_stars: int = 0,
) -> QuerySet[Station]:
    qs = _within_bbox(Station.objects.select_related("region"), bbox)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if min_stars:
        qs = qs.filter(stars__gte=stars_validate(min_stars))
    if region_code:
        qs = qs.filter(region__code__startswith=region_get(code=region_code).code_prefix)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if amenity_codes:
        qs = _with_all_amenities(qs, Station, amenity_codes_validate(amenity_codes))
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(address__icontains=text) | Q(host_org_name__icontains=text)
        )
    return qs.order_by("id")


def place_list_detailed(qs: QuerySet[Station], moment: datetime | None = None) -> QuerySet[Station]:
    return qs.prefetch_related(*_detail_prefetches(moment or timezone.now()))


def partner_list(
    *,
    bbox: BBox | None = None,
    region_code: str | None = None,
    amenity_codes: Sequence[str] = (),
    text: str | None = None,
) -> QuerySet[PartnerPlace]:
    qs = _within_bbox(PartnerPlace.objects.select_related("region"), bbox).filter(
        status=Place.Status.ACTIVE
    )
    if region_code:
        qs = qs.filter(region__code__startswith=region_get(code=region_code).code_prefix)
    if amenity_codes:
        qs = _with_all_amenities(qs, PartnerPlace, amenity_codes_validate(amenity_codes))
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text))
    return qs.order_by("id")


def station_get(*, station_id: int, moment: datetime | None = None) -> Station:
    station = (
        Station.objects.select_related("region")
        .prefetch_related(*_detail_prefetches(moment or timezone.now()), "photos")
        .filter(pk=station_id)
        .first()
    )
    if station is None:
        raise NotFound(
            _("没有编号为 %(id)s 的驿站。") % {"id": station_id},
            code=CoreError.NOT_FOUND,
            extra={"entity": "station"},
        )
    return station


def regions_for_new_places(*, actor, action: str) -> QuerySet:
    """The regions where `actor` may add places (`action`: `station.add` or
    `partner_place.add`): a new place's region is one of them."""
    return scope_queryset(actor, action, regions_all()).order_by("code")


def station_page(*, station_id: int, moment: datetime) -> tuple[Station, dict]:
    """A station with everything its page shows (hours, exceptions, photos), and its payload as
    the API's station list shows it (`payloads.station_payload`)."""
    station = station_get(station_id=station_id, moment=moment)
    return station, station_payload(station, moment=moment)


def station_for_poster(*, actor, station_id: int, moment: datetime | None = None) -> Station:
    """The station whose visit code (打卡码) and poster `actor` asks for, among those they may
    `station.print_poster` (their own station for a station manager, their region's for a
    region admin). Unknown, closed (suspended stations keep their codes) and someone else's
    stations are refused alike: `NotFound` for those who print posters somewhere,
    `PermissionDenied` for everyone else, so the sequential ids tell nothing."""
    stations = (
        Station.objects.select_related("region")
        .prefetch_related(*_detail_prefetches(moment or timezone.now()))
        .exclude(status=Place.Status.CLOSED)
    )
    return get_scoped(actor, "station.print_poster", stations, pk=station_id)


def partner_get(*, partner_id: int, moment: datetime | None = None) -> PartnerPlace:
    partner = (
        PartnerPlace.objects.select_related("region")
        .prefetch_related(*_detail_prefetches(moment or timezone.now()))
        .filter(pk=partner_id)
        .first()
    )
    if partner is None:
        raise NotFound(
            _("没有编号为 %(id)s 的合作点位。") % {"id": partner_id},
            code=CoreError.NOT_FOUND,
            extra={"entity": "partner_place"},
        )
    return partner


class NearbyHit(NamedTuple):
    place: IndexedPlace
    distance_m: float
    open_now: bool
    index: PlaceIndex  # the index that found it, for values derived from the place

    @property
    def type(self) -> str:
        return self.place.type  # "station" or "partner"

    @property
    def amenities(self) -> list[AmenityInfo]:
        return self.index.amenities_of(self.place)


def stations_nearby(
    *,
    lat: float,
    lng: float,
    limit: int = 10,
    amenity_codes: Sequence[str] = (),
    kinds: Sequence[str] = (),
    open_at: datetime | None = None,
    include_partners: bool = False,
    now: datetime | None = None,
    min_stars: int = 0,
) -> list[NearbyHit]:
    """The `limit` active stations (and partner places, if asked) nearest to a WGS-84 point by
    great-circle distance, having every amenity in `amenity_codes`, of one of `kinds` (stations
    only), open at `open_at` when given, and of at least `min_stars` stars (partner places have
    none, so `min_stars` ≥ 1 leaves them out). Exact: the same as ranking every row.

    Answered from this process's nearby index (`place_index`), without a database round trip
    once the index is built."""
    if not 1 <= limit <= NEARBY_MAX_LIMIT:
        message = _("limit 应在 1 到 %(max)d 之间。") % {"max": NEARBY_MAX_LIMIT}
        raise InvalidInput(
            message,
            code=StationsError.INVALID_LIMIT,
            errors=[
                field_error("limit", StationsError.INVALID_LIMIT, message, loc=["query", "limit"])
            ],
        )
    moment = now or timezone.now()
    index = place_index.current(moment)
    if open_at is not None and not index.covers(open_at):
        index = place_index.build(place_index.local_day(open_at))  # a day far off: one-off
    codes = amenity_codes_validate(amenity_codes, known=index.amenity_bits)
    min_stars = stars_validate(min_stars)

    found = index.nearest(
        Station,
        lat=lat,
        lng=lng,
        limit=limit,
        amenity_codes=codes,
        kinds=kinds,
        open_at=open_at,
        min_stars=min_stars,
    )
    if include_partners and not min_stars:
        partners = index.nearest(
            PartnerPlace, lat=lat, lng=lng, limit=limit, amenity_codes=codes, open_at=open_at
        )
        # Stations before partners at the same distance.
        found = sorted(
            found + partners, key=lambda r: (r.distance_m, r.place.type != "station", r.id)
        )
    return [
        NearbyHit(r.place, r.distance_m, index.is_open_at(r.place, moment), index)
        for r in found[:limit]
    ]


def station_by_visit_code(*, code: str) -> Station | None:
    """The station, not closed, whose visit QR code (打卡码) carries `code`, with its region;
    None when no such station has it (an old poster's code after a rotation, a made-up one)."""
    code = (code or "").strip()
    if not code or len(code) > Station._meta.get_field("visit_code").max_length:
        return None
    return (
        Station.objects.select_related("region")
        .exclude(status=Station.Status.CLOSED)
        .filter(visit_code=code)
        .first()
    )


class VisitLocation(NamedTuple):
    """Where the device said it was, as checked against the station: `distance_m` from it, and
    whether that proves the worker was there (`verified`)."""

    distance_m: float
    accuracy_m: float | None
    verified: bool


def _invalid_location(message) -> InvalidInput:
    return InvalidInput(
        message,
        code=StationsError.INVALID_LOCATION,
        errors=[
            field_error("lat", StationsError.INVALID_LOCATION, message),
            field_error("lng", StationsError.INVALID_LOCATION, message),
        ],
    )


def visit_location_check(
    *,
    station: Station,
    lat: float | None,
    lng: float | None,
    accuracy_m: float | None = None,
) -> VisitLocation | None:
    """Check the device's location (WGS-84, as browsers give it) sent with a visit or an
    attendance by station QR: None when none was sent; `InvalidInput` (`too_far_from_station`)
    when it is farther than `STATION_VISIT_RADIUS_M` from the station. A location within the
    radius verifies the visit unless its own accuracy is coarser than the radius (a position
    known only to a few kilometres proves nothing)."""
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        raise _invalid_location(_("请同时提供纬度和经度。"))
    if not valid_wgs84(lat, lng) or (accuracy_m is not None and not accuracy_m >= 0):
        raise _invalid_location(_("位置应是 WGS-84 坐标系中的一个点。"))
    radius = settings.STATION_VISIT_RADIUS_M
    distance = haversine_m(lat, lng, station.lat, station.lng)
    if distance > radius:
        message = _("你离驿站约 %(distance)s 米，需在 %(radius)s 米以内才能打卡。") % {
            "distance": _rounded_distance(distance),
            "radius": radius,
        }
        raise InvalidInput(
            message,
            code=StationsError.TOO_FAR_FROM_STATION,
            errors=[field_error("lat", StationsError.TOO_FAR_FROM_STATION, message)],
            extra={"distance_m": round(distance), "radius_m": radius},
        )
    verified = accuracy_m is None or accuracy_m <= radius
    return VisitLocation(distance, accuracy_m, verified)


def _rounded_distance(distance: float) -> int:
    """Metres to the nearest 10, or to the nearest 100 beyond a kilometre."""
    step = 100 if distance >= 1000 else 10
    return int(round(distance / step) * step)


def visit_day(*, station: Station, at: datetime) -> date:
    """The day a visit at `at` counts for: the local date in the station's region's time zone
    (one visit per worker, station and that day)."""
    return at.astimezone(ZoneInfo(station.region.timezone or "Asia/Shanghai")).date()


def visit_today(*, user, station: Station, now: datetime | None = None) -> StationVisit | None:
    """The worker's visit to the station on the station's local today, if any."""
    day = visit_day(station=station, at=now or timezone.now())
    return StationVisit.objects.filter(user=user, station=station, day=day).first()


def visits_around(*, user, at: datetime) -> list[StationVisit]:
    """The worker's visits just before and just after `at` (each at most one), with their
    stations: what a new visit at `at` is compared with for the travel check."""
    qs = StationVisit.objects.filter(user=user).select_related("station")
    before = qs.filter(visited_at__lte=at).order_by("-visited_at", "-id").first()
    after = qs.filter(visited_at__gt=at).order_by("visited_at", "id").first()
    return [v for v in (before, after) if v is not None]


def visits_of(*, user) -> QuerySet[StationVisit]:
    """The worker's own visits, latest first, with their stations (their data export)."""
    return (
        StationVisit.objects.filter(user=user)
        .select_related("station")
        .order_by("-visited_at", "-id")
    )


# ---- for the points app (who may offer rewards) ----


def stations_not_closed() -> QuerySet[Station]:
    """Stations that are active or suspended, with their region."""
    return Station.objects.select_related("region").exclude(status=Place.Status.CLOSED)


def partners_not_closed() -> QuerySet[PartnerPlace]:
    """Partner places that are active or suspended, with their region."""
    return PartnerPlace.objects.select_related("region").exclude(status=Place.Status.CLOSED)


# ---- for the directory app (the HSDS directory) ----


def places_for_directory(*, since: date) -> tuple[QuerySet[Station], QuerySet[PartnerPlace]]:
    """Stations and partner places that are not closed, with their region, amenities, weekly
    hours and their dated exceptions from `since` on (as `upcoming_exceptions`, which
    `place_hours` reads). The visit code is deferred: the directory never shows it."""
    prefetches = [
        Prefetch("amenities", queryset=Amenity.objects.order_by("sort_order", "code")),
        Prefetch("hours", queryset=OpeningInterval.objects.order_by("weekday", "opens")),
        Prefetch(
            "exceptions",
            queryset=HoursException.objects.filter(date__gte=since).order_by("date", "opens"),
            to_attr="upcoming_exceptions",
        ),
    ]
    stations = (
        stations_not_closed().defer("visit_code").prefetch_related(*prefetches).order_by("id")
    )
    partners = partners_not_closed().prefetch_related(*prefetches).order_by("id")
    return stations, partners


class PlacePoints(NamedTuple):
    """Where the qualifying places are: WGS-84 degrees, one entry per place, stations first."""

    lat: np.ndarray
    lng: np.ndarray
    ids: np.ndarray
    is_station: np.ndarray
    token: str  # the places version the answer was read from


def places_points(
    *,
    open_at: datetime | None = None,
    amenity_codes: Sequence[str] = (),
    include_partners: bool = False,
    now: datetime | None = None,
) -> PlacePoints:
    """The points of every active station (and partner place, if asked) anywhere, having every
    amenity in `amenity_codes` and open at `open_at` when given (by the same hours logic as
    nearby search): what coverage measures cells against. Read from the nearby index."""
    index = place_index.current(now or timezone.now())
    if open_at is not None and not index.covers(open_at):
        index = place_index.build(place_index.local_day(open_at))  # a day far off: one-off
    codes = amenity_codes_validate(amenity_codes, known=index.amenity_bits)
    mask = index.mask_of(codes)

    def make() -> PlacePoints:
        layers = [index.stations] + ([index.partners] if include_partners else [])
        kept = [
            place
            for layer in layers
            for place in layer.places
            if place.amenity_mask & mask == mask
            and (open_at is None or index.is_open_at(place, open_at))
        ]
        return PlacePoints(
            lat=np.fromiter((p.lat for p in kept), float, len(kept)),
            lng=np.fromiter((p.lng for p in kept), float, len(kept)),
            ids=np.fromiter((p.id for p in kept), np.int64, len(kept)),
            is_station=np.fromiter((p.type == "station" for p in kept), bool, len(kept)),
            token=index.token,
        )

    if open_at is not None:
        return make()
    return index.derived(("places_points", mask, include_partners), make)


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {
        "stations": Station.objects.all(),
        "partners": PartnerPlace.objects.all(),
        "visits": StationVisit.objects.all(),
        "service_logs": StationServiceLog.objects.all(),
    }


# --- the work log (services a station held) -------------------------------------------------


def service_kinds() -> QuerySet[ServiceKind]:
    """The service kinds offered for new entries, in catalogue order."""
    return ServiceKind.objects.filter(is_active=True).order_by("sort_order", "code")


def station_for_work_log(*, user, station_id: int, action: str = "station_service.view") -> Station:
    """The station whose work log `user` may read (`station_service.view`) or add to
    (`station_service.log`): 404 outside their scope, whether or not it exists."""
    return get_scoped(user, action, Station.objects.select_related("region"), pk=station_id)


def stations_for_work_log(*, user, text: str = "") -> QuerySet[Station]:
    """The stations whose work log `user` keeps (`station_service.log`), by name."""
    qs = scope_queryset(
        user, "station_service.log", Station.objects.select_related("region")
    ).exclude(status=Place.Status.CLOSED)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text))
    return qs.order_by("name", "id")


def service_log_list(*, station: Station) -> QuerySet[StationServiceLog]:
    """The station's work log, latest day first."""
    return (
        StationServiceLog.objects.filter(station=station)
        .select_related("kind", "created_by")
        .order_by("-date", "-id")
    )


def station_recent_services(*, station: Station, limit: int = 5) -> list[StationServiceLog]:
    """What the public station page shows: the latest services (no names, no notes' authors)."""
    return list(
        StationServiceLog.objects.filter(station=station)
        .select_related("kind")
        .order_by("-date", "-id")[:limit]
    )


def station_services_summary(*, station: Station, since: date, until: date) -> dict:
    """The station's work log from `since` to `until` (both included): entries, people served
    and bottles given, in all and by kind (every kind logged, in catalogue order). For the
    standards app's outcome indicators and the station's figures."""
    rows = (
        StationServiceLog.objects.filter(station=station, date__range=(since, until))
        .values("kind__code", "kind__name_zh", "kind__name_en", "kind__sort_order")
        .annotate(entries=Count("id"), people_served=Sum("people_served"), bottles=Sum("bottles"))
        .order_by("kind__sort_order", "kind__code")
    )
    by_kind = [
        {
            "kind": row["kind__code"],
            "name_zh": row["kind__name_zh"],
            "name_en": row["kind__name_en"],
            "entries": row["entries"],
            "people_served": row["people_served"] or 0,
            "bottles": row["bottles"] or 0,
        }
        for row in rows
    ]
    return {
        "since": since,
        "until": until,
        "entries": sum(k["entries"] for k in by_kind),
        "people_served": sum(k["people_served"] for k in by_kind),
        "bottles": sum(k["bottles"] for k in by_kind),
        "by_kind": by_kind,
    }


def places_version(*, now: datetime | None = None) -> str:
    """The token of the places the nearby index answers from: it changes with any write to
    places, their amenities and hours, the amenity catalogue or regions, so a value derived from
    them may be kept under it."""
    return place_index.current(now or timezone.now()).token
