"""Geography at the edges and the spatial index.

Stored coordinates are WGS-84. GCJ-02 (Amap, Tencent) and BD-09 (Baidu) exist only where a
Chinese map is on the other side: picker input, navigation links, Chinese tile layers. The
GCJ-02 transform is the published (reverse-engineered) polynomial; outside mainland China no
offset applies. GCJ-02 → WGS-84 has no closed form and is solved by fixed-point iteration.
"""

import math
from urllib.parse import quote

import h3

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the haversine convention used everywhere

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

# Resolutions stored per place (columns h3_r5, h3_r7, h3_r9): coarse for sparse countryside,
# fine for dense city centres.
H3_RESOLUTIONS = (5, 7, 9)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_wgs84(lat: float, lng: float) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lng, int | float)
        and math.isfinite(lat)
        and math.isfinite(lng)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lng <= 180.0
    )


def out_of_china(lat: float, lng: float) -> bool:
    """The rough rectangle where GCJ-02 applies; outside it the offset is zero."""
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lat: float, lng: float) -> tuple[float, float]:
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    dlat, dlng = _gcj_offset(lat, lng)
    return lat + dlat, lng + dlng


def _invert(forward, lat: float, lng: float) -> tuple[float, float]:
    """Solve forward(x) = (lat, lng) by fixed-point iteration; the offsets are smooth and small,
    so it converges to far under a centimetre in a few steps."""
    x_lat, x_lng = lat, lng
    for _ in range(30):
        f_lat, f_lng = forward(x_lat, x_lng)
        d_lat, d_lng = f_lat - lat, f_lng - lng
        x_lat, x_lng = x_lat - d_lat, x_lng - d_lng
        if abs(d_lat) < 1e-11 and abs(d_lng) < 1e-11:
            break
    return x_lat, x_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    return _invert(wgs84_to_gcj02, lat, lng)


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    # The usual closed-form inverse is only good to ~5 cm; refine it against the forward map.
    return _invert(gcj02_to_bd09, lat, lng)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def bd09_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))


def to_wgs84(lat: float, lng: float, coord: str) -> tuple[float, float]:
    """Input from a Chinese map picker or client in `coord` ("wgs84", "gcj02", "bd09")."""
    if coord == "gcj02":
        return gcj02_to_wgs84(lat, lng)
    if coord == "bd09":
        return bd09_to_wgs84(lat, lng)
    return lat, lng


def from_wgs84(lat: float, lng: float, coord: str) -> tuple[float, float]:
    if coord == "gcj02":
        return wgs84_to_gcj02(lat, lng)
    if coord == "bd09":
        return wgs84_to_bd09(lat, lng)
    return lat, lng


# Metres a minute by how a worker travels (the profile's declared vehicle): walking at 80, an
# e-bike at 250 (15 km/h, its legal top speed of 25 km/h less stops and lights in town), a car at
# 400 in city traffic. Nearby search, the map and coverage's reach all use these.
TRAVEL_M_PER_MIN = {"walk": 80, "bicycle": 200, "e_bike": 250, "motorcycle": 350, "car": 400}
WALKING_M_PER_MIN = TRAVEL_M_PER_MIN["walk"]
RIDING_M_PER_MIN = TRAVEL_M_PER_MIN["e_bike"]


def travel_minutes(distance_m: float, vehicle: str = "walk") -> int:
    """Minutes to cover `distance_m` as the crow flies, rounded up, at least one."""
    return max(1, math.ceil(distance_m / TRAVEL_M_PER_MIN[vehicle]))


# How a vehicle travels in each map app's route planner: walking, riding or driving.
ROUTE_MODES = {
    "walk": "walk",
    "bicycle": "ride",
    "e_bike": "ride",
    "motorcycle": "drive",
    "car": "drive",
}
_MODE_PARAMS = {
    # mode: (Amap web `mode`, Amap app `t`, Baidu `mode`, Tencent `type`)
    "walk": ("walk", 2, "walking", "walk"),
    "ride": ("ride", 3, "riding", "bike"),
    "drive": ("car", 0, "driving", "drive"),
}


def navigation_links(*, lat: float, lng: float, name: str, mode: str = "ride") -> dict[str, str]:
    """Links that open each Chinese map app with a route to the place from where the phone is,
    in the datum each app expects: the apps' own URI schemes (`*_app`; Amap has one for Android
    and one for iOS) and, for a phone without the app or a desktop, each provider's web page
    (`amap`, `baidu`, `tencent`). `mode` is walk, ride or drive.

    Baidu's web page cannot plan a route without a start point, so its web link shows the
    place, with its "到这去" button. Built by formatting rather than `urlencode`: nearby search
    makes ten of these per answer."""
    if out_of_china(lat, lng):
        glat, glng = blat, blng = lat, lng
    else:
        glat, glng = wgs84_to_gcj02(lat, lng)
        blat, blng = gcj02_to_bd09(glat, glng)
    amap_mode, amap_t, baidu_mode, tencent_type = _MODE_PARAMS[mode]
    title = quote(name, safe="")
    gcj = f"dlat={glat:.6f}&dlon={glng:.6f}&dname={title}&dev=0&t={amap_t}"
    return {
        "amap": (
            f"https://uri.amap.com/navigation?to={glng:.6f},{glat:.6f},{title}&mode={amap_mode}"
            "&policy=1&src=dandelion&coordinate=gaode&callnative=1"
        ),
        "baidu": (
            f"https://api.map.baidu.com/marker?location={blat:.6f},{blng:.6f}&title={title}"
            f"&content={title}&output=html&coord_type=bd09ll&src=webapp.dandelion.h5"
        ),
        "tencent": (
            f"https://apis.map.qq.com/uri/v1/routeplan?type={tencent_type}&to={title}"
            f"&tocoord={glat:.6f},{glng:.6f}&fromcoord=CurrentLocation&policy=1&referer=dandelion"
        ),
        "amap_app": f"amapuri://route/plan/?sourceApplication=dandelion&{gcj}",
        "amap_ios": f"iosamap://path?sourceApplication=dandelion&{gcj}",
        "baidu_app": (
            f"baidumap://map/direction?destination=latlng:{blat:.6f},{blng:.6f}|name:{title}"
            f"&coord_type=bd09ll&mode={baidu_mode}&src=webapp.dandelion.h5"
        ),
        "tencent_app": (
            f"qqmap://map/routeplan?type={tencent_type}&to={title}&tocoord={glat:.6f},{glng:.6f}"
            "&referer=dandelion"
        ),
    }


def h3_cells(lat: float, lng: float) -> dict[str, int]:
    """The H3 cells (as 64-bit integers) of a WGS-84 point at every stored resolution."""
    return {f"h3_r{res}": h3.str_to_int(h3.latlng_to_cell(lat, lng, res)) for res in H3_RESOLUTIONS}


# The smallest hexagon edge at each resolution, in metres, over the whole globe would be the
# safest bound, but H3 does not publish it; the average edge times this factor is below every
# hexagon's edge between latitudes 0 and 60 with margin (hexagon edges vary by about ±35%).
H3_EDGE_SAFETY = 0.55


def h3_safe_radius_m(res: int, k: int) -> float:
    """A radius around a point inside the origin cell that the grid disk of `k` rings is sure to
    cover. A cell at grid distance k+1 has its centre at least 1.5·(k+1) edges from the origin
    centre; the point and the far cell each take up to one edge. So anything closer than
    (1.5·k − 0.5) minimum edges lies in the disk."""
    edge = h3.average_hexagon_edge_length(res, unit="m") * H3_EDGE_SAFETY
    return max(0.0, (1.5 * k - 0.5) * edge)


def h3_disk(lat: float, lng: float, res: int, k: int) -> list[int]:
    origin = h3.latlng_to_cell(lat, lng, res)
    return [h3.str_to_int(cell) for cell in h3.grid_disk(origin, k)]


def bbox_for_radius(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, min_lng, max_lat, max_lng) that contains the circle of `radius_m`."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlng = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
    return lat - dlat, lng - dlng, lat + dlat, lng + dlng


BBox = tuple[float, float, float, float]


def bbox_parse(value: str) -> BBox:
    """`min_lng,min_lat,max_lng,max_lat` (WGS-84) → a tuple, or `ValueError` saying what is
    wrong, for a schema validator to turn into a 422 naming the field."""
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in value.split(","))
    except ValueError:
        raise ValueError("bbox must be four numbers: min_lng,min_lat,max_lng,max_lat") from None
    if not (valid_wgs84(min_lat, min_lng) and valid_wgs84(max_lat, max_lng)) or min_lat > max_lat:
        raise ValueError("bbox must be a WGS-84 box with min_lat <= max_lat")
    return min_lng, min_lat, max_lng, max_lat
