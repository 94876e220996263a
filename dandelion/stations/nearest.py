"""Exact k-nearest search over H3 cells.

Candidates come from growing grid disks around the query point; a candidate is accepted only
when it lies within the disk's *safe radius*, the distance from the query point to the nearest
cell outside the disk, so no unseen row can be closer. Ranking is by exact haversine distance.
When the disk would grow past a few hundred cells, the search moves to a coarser resolution, and
if even that cannot find enough rows, it ranks every row: the answer is always the same as
ranking every row by distance.

The rows come from a `CellSource`: a queryset (`nearest`) or the in-process place index
(`place_index`), which answers the same questions from memory.
"""

import math
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

import h3.api.basic_int as h3
from django.db.models import QuerySet

from dandelion.core.geo import EARTH_RADIUS_M, haversine_m

# (resolution, largest k tried at it). res 9 cells have ~0.2 km edges, res 7 ~1.4 km, res 5
# ~8.5 km. At res 5, k = 40 covers ~500 km, so ranking every row is left for filters that match
# almost nothing.
PLAN = ((7, 8), (5, 40))
# Where rows are dense (a city centre), a res 7 disk holds hundreds of them; starting at res 9
# ranks tens instead.
DENSE_PLAN = ((9, 6), (7, 8), (5, 40))
# Nothing found by k = SPARSE_AT_K: the point is sparse at this resolution, go coarser at once.
SPARSE_AT_K = 3
# Margin under the projected distance: the local equirectangular projection distorts by well
# under 1% within the disk sizes used here.
SAFETY = 0.98


class Candidate(NamedTuple):
    id: int
    lat: float
    lng: float
    distance_m: float
    extra: tuple


class CellSource(Protocol):
    """Rows `(id, lat, lng, *extra)` that pass the caller's filters."""

    def in_cells(self, res: int, cells: list[int]) -> Iterable[tuple]: ...

    def every_row(self) -> Iterable[tuple]: ...


class QuerySetSource:
    def __init__(self, queryset: QuerySet, extra_fields: tuple[str, ...] = ()):
        self.queryset = queryset.order_by()  # the model's ordering would sort every query
        self.fields = ("id", "lat", "lng", *extra_fields)

    def in_cells(self, res: int, cells: list[int]) -> Iterable[tuple]:
        return self.queryset.filter(**{f"h3_r{res}__in": cells}).values_list(*self.fields)

    def every_row(self) -> Iterable[tuple]:
        return self.queryset.values_list(*self.fields)


def _point_segment_m(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(px - cx, py - cy)


def safe_radius_m(lat: float, lng: float, origin: int, k: int) -> float:
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
    """The `limit` rows of `queryset` nearest to the point, nearest first."""
    return nearest_in(
        QuerySetSource(queryset, extra_fields), lat=lat, lng=lng, limit=limit, accept=accept
    )


def nearest_in(
    source: CellSource,
    *,
    lat: float,
    lng: float,
    limit: int,
    accept: Callable[[list[Candidate]], Iterable[Candidate]] | None = None,
    plan: tuple[tuple[int, int], ...] = PLAN,
) -> list[Candidate]:
    """The `limit` rows of `source` nearest to the point, nearest first.

    `accept` filters a batch of candidates (e.g. by opening hours) after the source's filters; it
    sees each row at most once, nearest first, and only as many rows as the answer needs.
    """
    seen: set[int] = set()
    pending: list[Candidate] = []  # fetched, not yet offered to `accept`
    accepted: list[Candidate] = []

    def take(rows: Iterable[tuple]) -> None:
        for row in rows:
            if row[0] in seen:
                continue
            seen.add(row[0])
            pending.append(
                Candidate(row[0], row[1], row[2], haversine_m(lat, lng, row[1], row[2]), row[3:])
            )

    def settle(radius: float) -> list[Candidate]:
        """The nearest accepted rows within `radius`, offering `accept` the pending rows inside
        it nearest first, in growing batches, only until the `limit` nearest are certain."""
        nonlocal pending
        inside = sorted((c for c in pending if c.distance_m <= radius), key=_distance)
        pending = [c for c in pending if c.distance_m > radius]
        within = sorted((c for c in accepted if c.distance_m <= radius), key=_distance)
        i, size = 0, max(2 * limit, 20)
        while i < len(inside):
            if len(within) >= limit and within[limit - 1].distance_m <= inside[i].distance_m:
                break
            batch = inside[i : i + size]
            i += len(batch)
            kept = list(accept(batch)) if accept else batch
            accepted.extend(kept)
            within = sorted(within + kept, key=_distance)
            size *= 2
        pending.extend(inside[i:])
        return within

    coarsest = plan[-1][0]
    for res, max_k in plan:
        origin = h3.latlng_to_cell(lat, lng, res)
        fetched: set[int] = set()
        k = 1
        while k is not None:
            disk = set(h3.grid_disk(origin, k))
            new_cells = list(disk - fetched)
            fetched = disk
            take(source.in_cells(res, new_cells))
            within = settle(safe_radius_m(lat, lng, origin, k))
            if len(within) >= limit:
                return within[:limit]
            k = _next_k(k, max_k, len(within), limit, coarser_left=res != coarsest)
    take(source.every_row())
    return settle(math.inf)[:limit]


def _distance(c: Candidate) -> float:
    return c.distance_m


def _next_k(k: int, max_k: int, found: int, limit: int, coarser_left: bool) -> int | None:
    """Jump ahead by the density seen so far (rows grow with the disk's area, ~k²), at most
    doubling the disk's radius; None moves on to the next resolution."""
    if k >= max_k:
        return None
    if found == 0:
        if coarser_left and k >= SPARSE_AT_K:
            return None  # nothing within a few fine cells: a coarser grid gets there sooner
        needed = 2 * k + 2
    else:
        needed = math.ceil(k * math.sqrt(limit / found) * 1.2)
        if coarser_left and needed > 2 * max_k:
            return None
    return max(k + 1, min(needed, 2 * k + 2, max_k))
