"""Region boundaries: GeoJSON Polygon or MultiPolygon geometries in WGS-84, [lng, lat] positions.

A boundary is accepted when every position is a pair (or triple) of finite numbers inside
WGS-84's range, every ring has at least four positions and ends where it starts, and the whole
is a valid geometry by shapely (no self-intersections, holes inside their shell, polygons of a
multipolygon not overlapping). The stored value is the geometry as given, positions reduced to
[lng, lat].
"""

import math
from functools import lru_cache

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from dandelion.core.geo import valid_wgs84

TYPES = ("Polygon", "MultiPolygon")


class BoundaryInvalid(ValueError):
    """Why a boundary was refused (a translated message)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _position(value) -> list[float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) for v in value)
    ):
        raise BoundaryInvalid(_("坐标应为 [经度, 纬度] 数字对。"))
    lng, lat = float(value[0]), float(value[1])
    if not valid_wgs84(lat, lng):
        raise BoundaryInvalid(
            _("坐标 [%(lng)s, %(lat)s] 不是有效的 WGS-84 经纬度。") % {"lng": lng, "lat": lat}
        )
    return [lng, lat]


def _ring(value) -> list[list[float]]:
    if not isinstance(value, list | tuple):
        raise BoundaryInvalid(_("多边形的环应为坐标列表。"))
    ring = [_position(p) for p in value]
    if len(ring) < 4:
        raise BoundaryInvalid(_("多边形的环至少要有 4 个坐标。"))
    if ring[0] != ring[-1]:
        raise BoundaryInvalid(_("多边形的环没有闭合：首尾坐标应相同。"))
    return ring


def _polygon(value) -> list[list[list[float]]]:
    if not isinstance(value, list | tuple) or not value:
        raise BoundaryInvalid(_("多边形应为至少一个环的列表。"))
    return [_ring(r) for r in value]


def boundary_validate(value) -> dict:
    """The boundary, normalised, or `BoundaryInvalid` saying what is wrong."""
    if not isinstance(value, dict) or value.get("type") not in TYPES:
        raise BoundaryInvalid(_("边界应为 GeoJSON Polygon 或 MultiPolygon。"))
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon":
        normal = {"type": "Polygon", "coordinates": _polygon(coordinates)}
    else:
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise BoundaryInvalid(_("MultiPolygon 应为至少一个多边形的列表。"))
        normal = {"type": "MultiPolygon", "coordinates": [_polygon(p) for p in coordinates]}
    geometry = shape(normal)
    if not geometry.is_valid:
        raise BoundaryInvalid(
            _("边界不是有效的几何图形：%(reason)s。")
            % {"reason": shapely.is_valid_reason(geometry)}
        )
    return normal


def _freeze(value):
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


@lru_cache(maxsize=4096)
def _shape(kind: str, coordinates: tuple):
    geometry = shape({"type": kind, "coordinates": coordinates})
    shapely.prepare(geometry)
    return geometry


def boundary_shape(boundary: dict):
    """The shapely geometry of a stored boundary, prepared for repeated point tests."""
    return _shape(boundary["type"], _freeze(boundary["coordinates"]))


def boundary_contains(boundary: dict, *, lat: float, lng: float) -> bool:
    """Whether a WGS-84 point lies inside the boundary or on its edge."""
    return boundary_shape(boundary).covers(shapely.Point(lng, lat))
