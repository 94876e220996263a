"""The worker's H5 pages: the station map and a station's page.

The map page is a shell: its script reads the public JSON API (`/api/v1/stations/...`). The
station page is rendered here from the same payload the API uses (`selectors.station_page`).
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dandelion.core.errors import NotFound
from dandelion.core.geo import ROUTE_MODES, TRAVEL_M_PER_MIN, navigation_links
from dandelion.regions import selectors as region_selectors
from dandelion.stations import selectors as station_selectors

from . import presenters, station_presenters

NEARBY_LIMIT = 20
# Below this zoom (a whole province on a phone) the map asks for no places: a city's every
# station would be a big answer for clusters nobody can tell apart.
MIN_LOAD_ZOOM = 10
REGION_OPTIONS_LIMIT = 30


def _region_candidates(query: str = ""):
    lat, lng = settings.MAP_DEFAULT_CENTER
    regions = region_selectors.regions_near(
        lat=lat,
        lng=lng,
        degrees=presenters.REGION_WINDOW_DEGREES,
        levels=(region_selectors.Level.DISTRICT, region_selectors.Level.STREET),
        text=query,
    )
    return presenters.region_options(regions, center=(lat, lng), limit=REGION_OPTIONS_LIMIT)


def tile_config() -> dict:
    """The tile layer the map draws on (settings' `MAP_TILE_*`, from the `MAP_TILES` preset):
    the preset's labels layer and zoom only while the URL is still the preset's own."""
    layer = getattr(settings, "MAP_TILE_LAYER", {})
    own = bool(settings.MAP_TILE_URL) and layer.get("url") == settings.MAP_TILE_URL
    return {
        "url": settings.MAP_TILE_URL,
        "subdomains": settings.MAP_TILE_SUBDOMAINS,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "coord": settings.MAP_TILE_COORD if settings.MAP_TILE_URL else "wgs84",
        "labelsUrl": layer.get("labels_url", "") if own else "",
        "maxZoom": layer.get("max_zoom", 18) if own else 18,
    }


@require_GET
def station_map(request):
    vehicle = presenters.worker_vehicle(request.user)
    config = {
        "tiles": tile_config(),
        "defaultCenter": list(settings.MAP_DEFAULT_CENTER),
        "nearbyLimit": NEARBY_LIMIT,
        "minLoadZoom": MIN_LOAD_ZOOM,
        "vehicle": vehicle,
        "speedMPerMin": TRAVEL_M_PER_MIN[vehicle],
        "routeMode": ROUTE_MODES[vehicle],
        "api": {
            "nearby": reverse("api-v1:stations_nearby"),
            "geojson": reverse("api-v1:stations_geojson"),
            "station": reverse("api-v1:stations_get", kwargs={"station_id": 0}).replace(
                "/0", "/{id}"
            ),
            "partner": reverse("api-v1:partners_get", kwargs={"partner_id": 0}).replace(
                "/0", "/{id}"
            ),
        },
        "amenities": presenters.amenity_chips(),
        "stationUrl": reverse("web:station", kwargs={"station_id": 0}).replace("/0/", "/{id}/"),
        "messages": presenters.map_messages(vehicle),
    }
    return render(
        request,
        "web/map.html",
        {"map_config": config, "region_options": _region_candidates()},
    )


@require_GET
def region_options(request):
    """The location picker's list, filtered by name (htmx swaps it in as the user types)."""
    query = request.GET.get("q", "").strip()[:40]
    return render(
        request,
        "web/includes/region_options.html",
        {"region_options": _region_candidates(query), "query": query},
    )


@require_GET
def station_detail(request, station_id: int):
    moment = timezone.now()
    try:
        station, payload = station_selectors.station_page(station_id=station_id, moment=moment)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    mode = ROUTE_MODES[presenters.worker_vehicle(request.user)]
    if mode != "ride":
        # The page's navigation buttons plan the route the way the worker travels.
        payload["navigation"] = navigation_links(
            lat=station.lat, lng=station.lng, name=station.name, mode=mode
        )
    return render(
        request,
        "web/station.html",
        {
            **presenters.station_page(station, payload=payload, moment=moment),
            **station_presenters.station_extras(station, tiles=tile_config()),
        },
    )
