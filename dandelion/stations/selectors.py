"""All reads of stations and partner places."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, NotFound, field_error
from dandelion.core.geo import BBox
from dandelion.core.permissions import get_scoped, scope_queryset
from dandelion.regions.selectors import region_get, regions_all

from . import place_index
from .errors import StationsError
from .hours import exception_window
from .models import (
    Amenity,
    HoursException,
    OpeningInterval,
    PartnerPlace,
    Place,
    Station,
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


def station_list(
    *,
    bbox: BBox | None = None,
    region_code: str | None = None,
    kinds: Sequence[str] = (),
    amenity_codes: Sequence[str] = (),
    text: str | None = None,
    statuses: Sequence[str] = (Place.Status.ACTIVE,),
) -> QuerySet[Station]:
    qs = _within_bbox(Station.objects.select_related("region"), bbox)
    if statuses:
        qs = qs.filter(status__in=statuses)
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
            code=StationsError.STATION_NOT_FOUND,
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
            code=StationsError.PARTNER_NOT_FOUND,
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
) -> list[NearbyHit]:
    """The `limit` active stations (and partner places, if asked) nearest to a WGS-84 point by
    great-circle distance, having every amenity in `amenity_codes`, of one of `kinds` (stations
    only), and open at `open_at` when given. Exact: the same as ranking every row.

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

    found = index.nearest(
        Station, lat=lat, lng=lng, limit=limit, amenity_codes=codes, kinds=kinds, open_at=open_at
    )
    if include_partners:
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


def station_by_uuid(*, station_uuid: UUID | str, include_closed: bool = True) -> Station | None:
    """The station whose code (its uuid, printed in its QR code) was scanned, with its region;
    None when no station has it, or it is closed and `include_closed` is false."""
    qs = Station.objects.select_related("region").filter(uuid=station_uuid)
    if not include_closed:
        qs = qs.exclude(status=Station.Status.CLOSED)
    return qs.first()


def visit_day(*, station: Station, at: datetime) -> date:
    """The day a visit at `at` counts for: the local date in the station's region's time zone
    (one visit per worker, station and that day)."""
    return at.astimezone(ZoneInfo(station.region.timezone or "Asia/Shanghai")).date()


def visit_today(*, user, station: Station, now: datetime | None = None) -> StationVisit | None:
    """The worker's visit to the station on the station's local today, if any."""
    day = visit_day(station=station, at=now or timezone.now())
    return StationVisit.objects.filter(user=user, station=station, day=day).first()


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
