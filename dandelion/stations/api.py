"""Station endpoints: nearby search, lists, detail, GeoJSON for the map, the amenity catalogue."""

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel, field_validator

from dandelion.core.errors import InvalidInput
from dandelion.core.geo import from_wgs84, navigation_links, to_wgs84, valid_wgs84
from dandelion.core.pagination import Paged, SerialisedPage

from . import selectors
from .models import Amenity, PartnerPlace, Place, Station
from .place_index import AmenityInfo
from .schemas import (
    AmenityOut,
    NearbyResultOut,
    PartnerDetailOut,
    PartnerOut,
    StationDetailOut,
    StationOut,
    is_english,
    localized,
)

router = Router(tags=["stations"])

WALKING_M_PER_MIN = 80
GEOJSON_MAX_FEATURES = 5000

StationKind = Literal["comprehensive", "rider_home", "driver_home", "courier", "other"]


class NearbyFilters(BaseModel):
    lat: float = Field(..., ge=-90, le=90, description="Latitude of the query point")
    lng: float = Field(..., ge=-180, le=180, description="Longitude of the query point")
    limit: int = Field(10, ge=1, le=selectors.NEARBY_MAX_LIMIT)
    amenity: list[str] = Field(
        default_factory=list, description="Amenity codes; all must be present"
    )
    open_now: bool = False
    kind: list[StationKind] = Field(default_factory=list, description="Station kinds")
    include_partners: bool = False
    coord: Literal["wgs84", "gcj02"] = Field("wgs84", description="Datum of lat/lng in and out")


class StationFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$", description="Division code")
    kind: list[StationKind] = Field(default_factory=list)
    amenity: list[str] = Field(default_factory=list)
    q: str | None = Field(None, max_length=100, description="Text in name, address or host")
    bbox: str | None = Field(
        None, description="min_lng,min_lat,max_lng,max_lat (WGS-84): only places inside the box"
    )

    @field_validator("bbox")
    @classmethod
    def parse_bbox(cls, value: str | None) -> str | None:
        if value is not None:
            bbox_parse(value)
        return value

    def bbox_tuple(self) -> selectors.BBox | None:
        return bbox_parse(self.bbox) if self.bbox else None


def bbox_parse(value: str) -> selectors.BBox:
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in value.split(","))
    except ValueError:
        raise ValueError("bbox must be four numbers: min_lng,min_lat,max_lng,max_lat") from None
    if not (valid_wgs84(min_lat, min_lng) and valid_wgs84(max_lat, max_lng)) or min_lat > max_lat:
        raise ValueError("bbox must be a WGS-84 box with min_lat <= max_lat")
    return min_lng, min_lat, max_lng, max_lat


def _amenities(amenities: Iterable[Amenity | AmenityInfo], english: bool) -> list[dict]:
    return [
        {
            "code": a.code,
            "name": a.name_en if english else a.name_zh,
            "name_zh": a.name_zh,
            "name_en": a.name_en,
            "icon": a.icon,
        }
        for a in amenities
    ]


def _place_fields(
    *,
    pk: int,
    is_station: bool,
    name: str,
    kind_label: str,
    wgs84: tuple[float, float],
    coord: str,
    region: tuple[str, str],
    **fields,
) -> dict:
    """The fields every place representation shares, in the requested datum, in one order."""
    lat, lng = from_wgs84(*wgs84, coord)
    return {
        "id": pk,
        "type": "station" if is_station else "partner",
        "name": name,
        "kind": fields["kind"],
        "kind_label": kind_label,
        "address": fields["address"],
        "lat": round(lat, 7),
        "lng": round(lng, 7),
        "coord": coord,
        "region": {"code": region[0], "name": region[1]},
        "phone": fields["phone"],
        "is_24h": fields["is_24h"],
        "open_now": fields["open_now"],
        "amenities": fields["amenities"],
        "navigation": navigation_links(lat=wgs84[0], lng=wgs84[1], name=name),
    }


def place_payload(
    place: Place, *, moment: datetime, coord: str = "wgs84", open_now: bool | None = None
) -> dict:
    """A place loaded with `selectors.place_list_detailed` as lists and details show it."""
    payload = _place_fields(
        pk=place.pk,
        is_station=isinstance(place, Station),
        name=place.name,
        kind=place.kind,
        kind_label=str(place.get_kind_display()),
        address=place.address,
        wgs84=(place.lat, place.lng),
        coord=coord,
        region=(place.region.code, place.region.name),
        phone=place.phone,
        is_24h=place.is_24h,
        open_now=selectors.place_is_open(place, moment) if open_now is None else open_now,
        amenities=_amenities(place.amenities.all(), is_english()),
    )
    payload["status"] = place.status
    return payload


def nearby_item(hit: selectors.NearbyHit, *, coord: str, english: bool) -> orjson.Fragment:
    """A nearby hit, from the nearby index, as JSON with exactly `NearbyOut`'s fields. What
    depends only on the place, the language and the datum is built and encoded once per index;
    each answer adds only whether the place is open and how far it is."""
    place = hit.place

    def fixed() -> bytes:
        is_station = place.type == "station"
        kinds = Station.Kind if is_station else PartnerPlace.Kind
        fields = _place_fields(
            pk=place.id,
            is_station=is_station,
            name=place.name,
            kind=place.kind,
            kind_label=str(kinds(place.kind).label),
            address=place.address,
            wgs84=(place.lat, place.lng),
            coord=coord,
            region=(place.region_code, place.region_name),
            phone=place.phone,
            is_24h=place.is_24h,
            open_now=None,
            amenities=_amenities(hit.amenities, english),
        )
        del fields["open_now"]
        fields["offer"] = place.offer
        return orjson.dumps(fields)[:-1]  # the object left open for the fields below

    return orjson.Fragment(
        b'%b,"open_now":%b,"distance_m":%b,"walking_minutes":%d}'
        % (
            hit.index.derived(("nearby", place.type, place.id, coord, english), fixed),
            b"true" if hit.open_now else b"false",
            orjson.dumps(round(hit.distance_m, 1)),
            max(1, math.ceil(hit.distance_m / WALKING_M_PER_MIN)),
        )
    )


def partner_payload(partner: PartnerPlace, *, moment: datetime, coord: str = "wgs84") -> dict:
    return {
        **place_payload(partner, moment=moment, coord=coord),
        "uuid": str(partner.uuid),
        "offer": partner.offer,
    }


def _hours_payload(place: Place, moment: datetime) -> dict:
    today = timezone.localdate(moment)
    return {
        "hours": [
            {"weekday": i.weekday, "opens": i.opens, "closes": i.closes} for i in place.hours.all()
        ],
        "exceptions": [
            {
                "date": e.date,
                "closed": e.closed,
                "opens": e.opens,
                "closes": e.closes,
                "note": e.note,
            }
            for e in place.upcoming_exceptions
            if e.date >= today - timedelta(days=1)
        ],
    }


def station_payload(station: Station, *, moment: datetime, coord: str = "wgs84") -> dict:
    return {
        **place_payload(station, moment=moment, coord=coord),
        "uuid": str(station.uuid),
        "origin": station.origin,
        "origin_label": str(station.get_origin_display()),
        "host_org_name": station.host_org_name,
        "area_m2": station.area_m2,
    }


@router.get(
    "/stations/nearby",
    response=NearbyResultOut,
    operation_id="stations_nearby",
    summary="Nearest stations to a point",
    description=(
        "Nearest active stations (and partner places with `include_partners=true`) by great-circle "
        "distance, filtered by every requested amenity, station kind and opening hours. "
        "Exact: the same ranking as measuring every station."
    ),
    auth=None,
)
def stations_nearby(request: HttpRequest, filters: Query[NearbyFilters]):
    moment = timezone.now()
    lat, lng = to_wgs84(filters.lat, filters.lng, filters.coord)
    hits = selectors.stations_nearby(
        lat=lat,
        lng=lng,
        limit=filters.limit,
        amenity_codes=filters.amenity,
        kinds=filters.kind,
        open_at=moment if filters.open_now else None,
        include_partners=filters.include_partners,
        now=moment,
    )
    english = is_english()
    items = [nearby_item(hit, coord=filters.coord, english=english) for hit in hits]
    # Built to the schema's shape by nearby_item (a test holds them together), so it is sent as
    # is: validating ten hits against the schema again, or encoding them afresh, costs more than
    # finding them.
    return HttpResponse(
        orjson.dumps({"count": len(items), "coord": filters.coord, "items": items}),
        content_type="application/json",
    )


@router.get(
    "/stations",
    response=list[StationOut],
    operation_id="stations_list",
    summary="List stations",
    auth=None,
)
@paginate(Paged)
def stations_list(request: HttpRequest, filters: Query[StationFilters]):
    qs = selectors.station_list(
        bbox=filters.bbox_tuple(),
        region_code=filters.region,
        kinds=filters.kind,
        amenity_codes=filters.amenity,
        text=filters.q,
    )
    moment = timezone.now()
    return SerialisedPage(
        selectors.place_list_detailed(qs, moment), lambda s: station_payload(s, moment=moment)
    )


@router.get(
    "/stations.geojson",
    operation_id="stations_geojson",
    summary="Stations as a GeoJSON FeatureCollection (WGS-84)",
    description=(
        "Active stations as Point features; `include_partners=true` adds partners. At most "
        f"{GEOJSON_MAX_FEATURES} features: a wider query answers 422 `too_many_features`."
    ),
    auth=None,
)
def stations_geojson(
    request: HttpRequest, filters: Query[StationFilters], include_partners: bool = False
):
    moment = timezone.now()
    features = []
    qs = selectors.place_list_detailed(
        selectors.station_list(
            bbox=filters.bbox_tuple(),
            region_code=filters.region,
            kinds=filters.kind,
            amenity_codes=filters.amenity,
            text=filters.q,
        ),
        moment,
    )
    partner_qs = (
        selectors.place_list_detailed(
            selectors.partner_list(
                bbox=filters.bbox_tuple(),
                region_code=filters.region,
                amenity_codes=filters.amenity,
                text=filters.q,
            ),
            moment,
        )
        if include_partners
        else None
    )
    # One response holds every feature, so a national map must ask for a window.
    total = qs.count() + (partner_qs.count() if partner_qs is not None else 0)
    if total > GEOJSON_MAX_FEATURES:
        raise InvalidInput(
            f"{total} places match; at most {GEOJSON_MAX_FEATURES} fit in one GeoJSON answer. "
            "Narrow it with bbox or region.",
            code="too_many_features",
            errors=[
                {"loc": ["query", "bbox"], "field": "bbox", "msg": "narrow the window"},
            ],
        )
    places: list[Place] = list(qs)
    if partner_qs is not None:
        places += list(partner_qs)
    for place in places:
        features.append(
            {
                "type": "Feature",
                "id": f"{'station' if isinstance(place, Station) else 'partner'}-{place.pk}",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.lng, 7), round(place.lat, 7)],
                },
                "properties": {
                    "id": place.pk,
                    "type": "station" if isinstance(place, Station) else "partner",
                    "name": place.name,
                    "kind": place.kind,
                    "kind_label": str(place.get_kind_display()),
                    "address": place.address,
                    "is_24h": place.is_24h,
                    "open_now": selectors.place_is_open(place, moment),
                    "amenities": [a.code for a in place.amenities.all()],
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@router.get(
    "/stations/{station_id}",
    response=StationDetailOut,
    operation_id="stations_get",
    summary="One station with hours, photos and navigation links",
    auth=None,
)
def stations_get(request: HttpRequest, station_id: int, coord: Literal["wgs84", "gcj02"] = "wgs84"):
    moment = timezone.now()
    station = selectors.station_get(station_id=station_id, moment=moment)
    today = timezone.localdate(moment)
    return {
        **station_payload(station, moment=moment, coord=coord),
        "hours": [
            {"weekday": i.weekday, "opens": i.opens, "closes": i.closes}
            for i in station.hours.all()
        ],
        "exceptions": [
            {
                "date": e.date,
                "closed": e.closed,
                "opens": e.opens,
                "closes": e.closes,
                "note": e.note,
            }
            for e in station.upcoming_exceptions
            if e.date >= today - timezone.timedelta(days=1)
        ],
        "photos": [{"url": p.image.url, "caption": p.caption} for p in station.photos.all()],
        "notes": station.notes,
    }


class PartnerFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$", description="Division code")
    amenity: list[str] = Field(default_factory=list)
    q: str | None = Field(None, max_length=100, description="Text in name or address")


@router.get(
    "/partners",
    response=list[PartnerOut],
    operation_id="partners_list",
    summary="List partner places (friendly merchants and service corners)",
    auth=None,
)
@paginate(Paged)
def partners_list(request: HttpRequest, filters: Query[PartnerFilters]):
    qs = selectors.partner_list(
        region_code=filters.region, amenity_codes=filters.amenity, text=filters.q
    )
    moment = timezone.now()
    return SerialisedPage(
        selectors.place_list_detailed(qs, moment), lambda p: partner_payload(p, moment=moment)
    )


@router.get(
    "/partners/{partner_id}",
    response=PartnerDetailOut,
    operation_id="partners_get",
    summary="One partner place with hours and navigation links",
    auth=None,
)
def partners_get(request: HttpRequest, partner_id: int, coord: Literal["wgs84", "gcj02"] = "wgs84"):
    moment = timezone.now()
    partner = selectors.partner_get(partner_id=partner_id, moment=moment)
    return {
        **partner_payload(partner, moment=moment, coord=coord),
        **_hours_payload(partner, moment),
    }


@router.get(
    "/amenities",
    response=list[AmenityOut],
    operation_id="amenities_list",
    summary="The amenity catalogue",
    auth=None,
)
def amenities_list(request: HttpRequest):
    return [
        {
            "code": a.code,
            "name": localized(a.name_zh, a.name_en),
            "name_zh": a.name_zh,
            "name_en": a.name_en,
            "icon": a.icon,
        }
        for a in selectors.amenity_list()
    ]
