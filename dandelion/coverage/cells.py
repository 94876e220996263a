"""The coverage model's arithmetic, on NumPy arrays: no database here.

- A region's **cells** are the H3 resolution-9 cells whose centre lies inside its boundary
  (`h3.geo_to_cells`, h3's `polygon_to_cells` rule).
- **Reach** is speed × minutes ÷ detour factor: walking 75 m/min, e-bike 250 m/min, detour 1.3
  (15 minutes' walk: 865.4 m).
- A cell's **nearest distance** is the great-circle distance (haversine, R = 6,371,008.8 m) from
  its centre to the nearest qualifying place; a cell is covered when it is ≤ the reach.

`nearest_m` finds the nearest place of every cell with a k-d tree over unit vectors (the chord
between unit vectors grows with the great-circle distance, so the tree's nearest is the sphere's
nearest), then measures the candidates with the same haversine the brute force uses. A cell
whose candidates do not clearly end beyond its nearest one (a tie within rounding) is settled by
measuring every place inside that chord. So the answer is the brute force's, number for number
(`nearest_m_brute`, which the tests and `bench/coverage/` compare it with).
"""

import json
from functools import lru_cache

import h3
import numpy as np
from scipy.spatial import cKDTree

from dandelion.core.geo import EARTH_RADIUS_M

RESOLUTION = 9
SPEEDS_M_PER_MIN = {"walk": 75.0, "ebike": 250.0}
DETOUR = 1.3
# The tree's first candidates per cell: enough that ties beyond them are rare.
CANDIDATES = 4
# Chords this close (relative, plus absolute) may be the same distance after rounding.
ROUNDING = 1e-9
# Cells measured at once by the brute force (cells × places float64 matrices).
BRUTE_CHUNK = 2_000_000


def reach_m(mode: str, minutes: float) -> float:
    """How far a worker gets in `minutes` by `mode`, as the crow flies."""
    return SPEEDS_M_PER_MIN[mode] * minutes / DETOUR


def boundary_cells(boundary: dict) -> list[str]:
    """The resolution-9 cells whose centre lies inside a GeoJSON (Multi)Polygon, sorted."""
    return sorted(h3.geo_to_cells(boundary, RESOLUTION))


@lru_cache(maxsize=4096)
def _shape_cells(boundary_json: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    cells = boundary_cells(json.loads(boundary_json))
    lat, lng = cell_centres(cells)
    lat.flags.writeable = lng.flags.writeable = False
    return tuple(cells), lat, lng


def shape_cells(boundary: dict) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """`boundary_cells` and their centres, remembered per boundary (read-only arrays): a
    region's cells are worked out once per process, not per request."""
    return _shape_cells(json.dumps(boundary, separators=(",", ":")))


def cell_centres(cells: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lng) in degrees of each cell's centre."""
    points = np.array([h3.cell_to_latlng(c) for c in cells], dtype=float).reshape(-1, 2)
    return points[:, 0].copy(), points[:, 1].copy()


def cell_polygon(cell: str) -> dict:
    """A GeoJSON Polygon of a cell's boundary, [lng, lat] positions, the ring closed."""
    ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def haversine_np(lat1, lng1, lat2, lng2) -> np.ndarray:
    """Great-circle distance in metres between points in degrees (broadcasting), the formula
    of `core.geo.haversine_m`."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.subtract(lng2, lng1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _unit_vectors(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    lat, lng = np.radians(lat), np.radians(lng)
    return np.column_stack((np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)))


def nearest_m(
    cell_lat: np.ndarray, cell_lng: np.ndarray, place_lat: np.ndarray, place_lng: np.ndarray
) -> np.ndarray:
    """The distance from each cell centre to its nearest place (inf when there is none)."""
    n_cells, n_places = len(cell_lat), len(place_lat)
    if n_places == 0 or n_cells == 0:
        return np.full(n_cells, np.inf)
    tree = cKDTree(_unit_vectors(place_lat, place_lng))
    points = _unit_vectors(cell_lat, cell_lng)
    k = min(n_places, CANDIDATES)
    chords, found = tree.query(points, k=k)
    chords, found = chords.reshape(n_cells, k), found.reshape(n_cells, k)
    distances = haversine_np(
        cell_lat[:, None], cell_lng[:, None], place_lat[found], place_lng[found]
    )
    best = distances.min(axis=1)
    if k < n_places:
        # Every place not yet measured is at least as far (by chord) as the k-th candidate; where
        # that is not clearly beyond the nearest, measure every place inside the nearest's chord.
        limit = chords[:, 0] * (1 + ROUNDING) + ROUNDING
        for i in np.flatnonzero(chords[:, -1] <= limit):
            near = np.asarray(tree.query_ball_point(points[i], limit[i]), dtype=np.intp)
            if len(near):
                more = haversine_np(cell_lat[i], cell_lng[i], place_lat[near], place_lng[near])
                best[i] = min(best[i], more.min())
    return best


def nearest_m_brute(
    cell_lat: np.ndarray, cell_lng: np.ndarray, place_lat: np.ndarray, place_lng: np.ndarray
) -> np.ndarray:
    """`nearest_m` by measuring every cell against every place: the reference."""
    n_cells, n_places = len(cell_lat), len(place_lat)
    best = np.full(n_cells, np.inf)
    if n_places == 0:
        return best
    step = max(1, BRUTE_CHUNK // n_places)
    for start in range(0, n_cells, step):
        rows = slice(start, start + step)
        distances = haversine_np(
            cell_lat[rows, None], cell_lng[rows, None], place_lat[None, :], place_lng[None, :]
        )
        best[rows] = distances.min(axis=1)
    return best


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float | None:
    """The smallest value at or below which at least `q` of the weight lies (each value counts
    once when the weights sum to zero); None for no values."""
    if len(values) == 0:
        return None
    if weights.sum() <= 0:
        weights = np.ones_like(values)
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    position = int(np.searchsorted(cumulative, q * cumulative[-1], side="left"))
    return float(values[order][min(position, len(values) - 1)])
