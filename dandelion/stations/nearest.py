"""Exact k-nearest search over H3 cells.

Candidates come from growing grid disks around the query point; a candidate is accepted only
when it lies within the disk's *safe radius*, the distance from the query point to the nearest
cell outside the disk, so no unseen row can be closer. Ranking is by exact haversine distance.
When the disk would grow past a few hundred cells, the search moves to a coarser resolution, and
if even that cannot find enough rows, it ranks every row: the answer is always the same as
ranking every row by distance.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import h3
from django.db.models import QuerySet

from dandelion.core.geo import EARTH_RADIUS_M, haversine_m

# (resolution, largest k tried at it). res 7 cells have ~1.4 km edges, res 5 ~8.5 km.
PLAN = ((7, 8), (5, 10))
# Margin under the projected distance: the local equirectangular projection distorts by well
# under 1% within the disk sizes used here.
SAFETY = 0.98


@dataclass(frozen=True)
class Candidate:
    id: int
    lat: float
    lng: float
    distance_m: float
    extra: tuple


def _point_segment_m(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(px - cx, py - cy)


def safe_radius_m(lat: float, lng: float, origin: str, k: int) -> float:
    """Distance from the point to the closest cell at grid distance k+1 from `origin`."""
    cos_lat = math.cos(math.radians(lat))
    scale_x = math.radians(1) * EARTH_RADIUS_M * cos_lat
    scale_y = math.radians(1) * EARTH_RADIUS_M
    best = math.inf
    for cell in h3.grid_ring(origin, k + 1):
        boundary = h3.cell_to_boundary(cell)
        pts = [((b_lng - lng) * scale_x, (b_lat - lat) * scale_y) for b_lat, b_lng in boundary]
        for i, (ax, ay) in enumerate(pts):
            bx, by = pts[(i + 1) % len(pts)]
            best = min(best, _point_segment_m(0.0, 0.0, ax, ay, bx, by))
    return best * SAFETY


def nearest(
    queryset: QuerySet,
    *,
    lat: float,
    lng: float,
    limit: int,
    accept: Callable[[list[Candidate]], Iterable[Candidate]] | None = None,
    extra_fields: tuple[str, ...] = (),
) -> list[Candidate]:
    """The `limit` rows of `queryset` nearest to the point, nearest first.

    `accept` filters a batch of candidates (e.g. by opening hours) after the SQL filters; it sees
    each row at most once.
    """
    fields = ("id", "lat", "lng", *extra_fields)
    seen: set[int] = set()
    accepted: list[Candidate] = []

    def take(rows: Iterable[tuple]) -> None:
        batch = []
        for row in rows:
            if row[0] in seen:
                continue
            seen.add(row[0])
            batch.append(
                Candidate(row[0], row[1], row[2], haversine_m(lat, lng, row[1], row[2]), row[3:])
            )
        accepted.extend(accept(batch) if accept else batch)

    for res, max_k in PLAN:
        origin = h3.latlng_to_cell(lat, lng, res)
        column = f"h3_r{res}"
        fetched: set[str] = set()
        k = 1
        while k <= max_k:
            disk = set(h3.grid_disk(origin, k))
            new_cells = [h3.str_to_int(c) for c in disk - fetched]
            fetched = disk
            take(queryset.filter(**{f"{column}__in": new_cells}).values_list(*fields))
            radius = safe_radius_m(lat, lng, origin, k)
            within = sorted(
                (c for c in accepted if c.distance_m <= radius), key=lambda c: c.distance_m
            )
            if len(within) >= limit:
                return within[:limit]
            k = _next_k(k, max_k, len(within), limit)
    take(queryset.values_list(*fields))
    return sorted(accepted, key=lambda c: c.distance_m)[:limit]


def _next_k(k: int, max_k: int, found: int, limit: int) -> int:
    """Jump ahead by the density seen so far: rows grow with the disk's area (~k²)."""
    if found == 0:
        return k + 2 if k + 2 <= max_k else k + 1
    needed = math.ceil(k * math.sqrt(limit / found) * 1.2)
    return max(k + 1, min(needed, max_k))
