"""Station endpoints: nearby search, the list, GeoJSON for the map, one station."""

from typing import Literal

import h3
import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core import hooks
from dandelion.core.api import problems
from dandelion.core.errors import InvalidInput, field_error
from dandelion.core.geo import to_wgs84
from dandelion.core.i18n import is_english
from dandelion.core.pagination import Paged, SerialisedPage

from .. import payloads, selectors
from ..errors import StationsError
from .schemas import (
    NearbyFilters,
    NearbyResultOut,
    RouteMode,
    StationDetailOut,
    StationFilters,
    StationOut,
)

router = Router(tags=["stations"])

GEOJSON_MAX_FEATURES = 5000
NEARBY_TRACE_RESOLUTION = 8  # the cell a search leaves in the demand trace (about 0.7 km²)

# What the GeoJSON answer holds (sent as is, as application/geo+json, so no response schema
# class validates it): Point features in WGS-84 with the place's map properties.
GEOJSON_RESPONSE = {
    "description": "A GeoJSON FeatureCollection of Point features (WGS-84, lng before lat)",
    "content": {
        "application/geo+json": {
            "schema": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "id", "geometry", "properties"],
                            "properties": {
                                "type": {"type": "string", "enum": ["Feature"]},
                                "id": {"type": "string", "examples": ["station-12"]},
                                "geometry": {
                                    "type": "object",
                                    "properties": {
                                        "type": {"type": "string", "enum": ["Point"]},
                                        "coordinates": {
                                            "type": "array",
                                            "items": {"type": "number"},
                                            "minItems": 2,
                                            "maxItems": 2,
                                        },
                                    },
                                },
                                "properties": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "type": {"type": "string", "enum": ["station", "partner"]},
                                        "name": {"type": "string"},
                                        "kind": {"type": "string"},
                                        "kind_label": {"type": "string"},
                                        "address": {"type": "string"},
                                        "is_24h": {"type": "boolean"},
                                        "open_now": {"type": "boolean"},
                                        "amenities": {"type": "array", "items": {"type": "string"}},
                                        "stars": {"type": "integer", "minimum": 0, "maximum": 5},
                                        "stars_valid_until": {
                                            "type": ["string", "null"],
                                            "format": "date",
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            }
        }
    },
}


@router.get(
    "/stations/nearby",
    response={200: NearbyResultOut, **problems()},
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
        min_stars=filters.min_stars,
    )
    if hooks.has_receivers(hooks.NEARBY_SEARCHED):
        # The demand trace: the searched point's H3 cell (resolution 8), never the point.
        cell = h3.latlng_to_cell(lat, lng, NEARBY_TRACE_RESOLUTION)
        hooks.send(hooks.NEARBY_SEARCHED, cell=cell, occurred_at=moment)
    english = is_english()
    items = [payloads.nearby_item(hit, coord=filters.coord, english=english) for hit in hits]
    # Built to the schema's shape by nearby_item (a test holds them together), so it is sent as
    # is: validating ten hits against the schema again, or encoding them afresh, costs more than
    # finding them.
    return HttpResponse(
        orjson.dumps({"count": len(items), "coord": filters.coord, "items": items}),
        content_type="application/json",
    )


@router.get(
    "/stations",
    response={200: list[StationOut], **problems(404)},
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
        min_stars=filters.min_stars,
    )
    moment = timezone.now()
    return SerialisedPage(
        selectors.place_list_detailed(qs, moment),
        lambda s: payloads.station_payload(s, moment=moment),
    )


@router.get(
    "/stations.geojson",
    response={**problems(404)},
    openapi_extra={"responses": {200: GEOJSON_RESPONSE}},
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
    qs = selectors.place_list_detailed(
        selectors.station_list(
            bbox=filters.bbox_tuple(),
            region_code=filters.region,
            kinds=filters.kind,
            amenity_codes=filters.amenity,
            text=filters.q,
            min_stars=filters.min_stars,
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
        if include_partners and not filters.min_stars  # partner places have no stars
        else None
    )
    # One response holds every feature, so a national map must ask for a window.
    total = qs.count() + (partner_qs.count() if partner_qs is not None else 0)
    if total > GEOJSON_MAX_FEATURES:
        raise InvalidInput(
            _(
                "有 %(total)d 个点位符合条件；一次 GeoJSON 最多返回 %(max)d 个。"
                "请用 bbox 或区划缩小范围。"
            )
            % {"total": total, "max": GEOJSON_MAX_FEATURES},
            code=StationsError.TOO_MANY_FEATURES,
            errors=[
                field_error(
                    "bbox",
                    StationsError.TOO_MANY_FEATURES,
                    _("请缩小范围。"),
                    loc=["query", "bbox"],
                )
            ],
            extra={"total": total, "max": GEOJSON_MAX_FEATURES},
        )
    places = list(qs)
    if partner_qs is not None:
        places += list(partner_qs)
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [payloads.geojson_feature(place, moment=moment) for place in places],
        },
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@router.get(
    "/stations/{station_id}",
    response={200: StationDetailOut, **problems(404)},
    operation_id="stations_get",
    summary="One station with hours, photos and navigation links",
    auth=None,
)
def stations_get(
    request: HttpRequest,
    station_id: int,
    coord: Literal["wgs84", "gcj02"] = "wgs84",
    mode: RouteMode = "ride",
):
    moment = timezone.now()
    station = selectors.station_get(station_id=station_id, moment=moment)
    return payloads.station_detail_payload(station, moment=moment, coord=coord, mode=mode)
