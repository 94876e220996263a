"""The demo city's region shapes and people (issue 15): boundaries that tile Jiujiang's urban
area and plausible populations. Deterministic per seed; running it again changes nothing.

- The **urban area**: the built-up land of 浔阳区, 濂溪区 and 柴桑区 between the Yangtze's south
  bank and latitude 29.59°, longitudes 115.875°–116.075°, less the lakes (`geography`).
- **Streets**: every street of the three districts whose seed lies in the urban area gets the
  part of the urban area nearer to its seed than to any other street's (a Voronoi diagram
  clipped to the area). A street's seed is the middle of its built-up land where the demo draws
  places (`geography.STREET_AREAS`), else its centre.
- **Districts**: the union of their streets' shapes.
- **Communities**: each street's communities split it by a Voronoi diagram of points spread
  over the street by a few rounds of k-means (seeded), so they tile the street.
- **People**: about 380,000 in 浔阳区's urban streets, 260,000 in 濂溪区's and 170,000 in
  柴桑区's, shared among their communities by the square root of their area (the small
  communities of the old city are the dense ones) with a seeded ±30 %; a street's and a
  district's population are the sums below them, plus 15,000–40,000 for each town outside.
"""

import random
from collections import Counter

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon, box, mapping

from dandelion.regions.models import Region
from dandelion.regions.services import region_shape_set

from .city import DEFAULT_SEED
from .geography import LAKES, RIVER_SOUTH_BANK, STREET_AREAS, river_bank_lat

DISTRICTS = ("360402", "360403", "360404")
WEST, EAST, SOUTH = 115.875, 116.075, 29.59
URBAN_PEOPLE = {"360403": 380_000, "360402": 260_000, "360404": 170_000}
TOWN_PEOPLE = (15_000, 40_000)
KMEANS_POINTS, KMEANS_ROUNDS = 400, 12
DIGITS = 6  # about 0.1 m


def urban_area() -> Polygon:
    """The land between the river's south bank and SOUTH, WEST to EAST, less the lakes."""
    bank = [(lng, lat) for lng, lat in RIVER_SOUTH_BANK if WEST < lng < EAST]
    north = [(WEST, river_bank_lat(WEST)), *bank, (EAST, river_bank_lat(EAST))]
    area = Polygon([(WEST, SOUTH), (EAST, SOUTH), *reversed(north)])
    lakes = shapely.union_all([box(b.west, b.south, b.east, b.north) for b in LAKES.values()])
    return shapely.difference(area, lakes)


def _polygons(geometry) -> list[Polygon]:
    """The polygons of a geometry (an intersection may add points or lines on its edges)."""
    if geometry.geom_type == "Polygon":
        return [geometry] if not geometry.is_empty else []
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def _clean(geometry):
    """A Polygon or MultiPolygon of the geometry's polygonal parts, coordinates rounded."""
    parts = _polygons(shapely.set_precision(geometry, 10**-DIGITS))
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _geojson(geometry) -> dict:
    def lists(value):
        return [lists(v) for v in value] if isinstance(value, list | tuple) else float(value)

    shape = mapping(geometry)
    return {"type": shape["type"], "coordinates": lists(shape["coordinates"])}


def voronoi_split(area, seeds: list[tuple[float, float]]) -> list:
    """`area` split among `seeds` ((lng, lat)): each seed's share is the part of the area nearer
    to it than to the others, in the order of `seeds`."""
    if len(seeds) == 1:
        return [area]
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area.envelope.buffer(0.1))
    shares = []
    for lng, lat in seeds:
        point = shapely.Point(lng, lat)
        cell = next(c for c in cells.geoms if c.covers(point))
        shares.append(shapely.intersection(cell, area))
    return shares


def kmeans_seeds(rng: random.Random, area, k: int) -> list[tuple[float, float]]:
    """k points spread over `area`: k-means of random points inside it."""
    west, south, east, north = area.bounds
    points = []
    while len(points) < KMEANS_POINTS:
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if area.contains(shapely.Point(lng, lat)):
            points.append((lng, lat))
    samples = np.array(points)
    centres = samples[:k].copy()
    for _ in range(KMEANS_ROUNDS):
        nearest = ((samples[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        for j in range(k):
            if (nearest == j).any():
                centres[j] = samples[nearest == j].mean(axis=0)
    return [(round(float(x), DIGITS), round(float(y), DIGITS)) for x, y in centres]


def _street_seed(street: Region) -> tuple[float, float] | None:
    area = STREET_AREAS.get(street.code)
    if area is not None:
        biggest = max(area.boxes, key=lambda b: (b.north - b.south) * (b.east - b.west))
        return ((biggest.west + biggest.east) / 2, (biggest.south + biggest.north) / 2)
    if street.center_lat is None:
        return None
    return (street.center_lng, street.center_lat)


def demo_shapes(*, seed: int = DEFAULT_SEED) -> tuple[dict[str, object], dict[str, int]]:
    """The boundary (a shapely geometry) and the population of each region they are given to."""
    regions = {
        r.code: r
        for r in Region.objects.filter(code__regex=r"^(360402|360403|360404)").order_by("code")
    }
    area = urban_area()
    streets, seeds = [], []
    for region in regions.values():
        if region.level != Region.Level.STREET:
            continue
        point = _street_seed(region)
        if point is not None and area.contains(shapely.Point(point)):
            streets.append(region)
            seeds.append(point)
    shapes: dict[str, object] = {}
    people: dict[str, int] = {}
    for street, share in zip(streets, voronoi_split(area, seeds), strict=True):
        shapes[street.code] = share
    rng = random.Random(f"boundaries-{seed}")
    weights: dict[str, float] = {}
    for street in streets:
        communities = [
            r for r in regions.values() if r.parent_id == street.pk and r.level == "community"
        ]
        if not communities:
            continue
        points = kmeans_seeds(rng, shapes[street.code], len(communities))
        for community, share in zip(
            communities, voronoi_split(shapes[street.code], points), strict=True
        ):
            shapes[community.code] = share
            weights[community.code] = share.area**0.5 * rng.uniform(0.7, 1.3)
    for district in DISTRICTS:
        mine = {c: w for c, w in weights.items() if c.startswith(district)}
        total = sum(mine.values())
        for code, weight in mine.items():
            people[code] = round(URBAN_PEOPLE[district] * weight / total)
    shaped_streets = {s.code for s in streets}
    for region in regions.values():
        if region.level == Region.Level.STREET and region.code not in shaped_streets:
            people[region.code] = rng.randint(*TOWN_PEOPLE)
    for street in streets:
        people[street.code] = sum(v for c, v in people.items() if c.startswith(street.code))
    for district in DISTRICTS:
        if district in regions:
            people[district] = sum(
                v for c, v in people.items() if len(c) == 9 and c.startswith(district)
            )
            parts = [shapes[s.code] for s in streets if s.code.startswith(district)]
            if parts:
                shapes[district] = shapely.union_all(parts)
    return {code: _clean(shape) for code, shape in shapes.items()}, people


def demo_boundaries_load(*, seed: int = DEFAULT_SEED) -> Counter:
    """Give the demo regions their shapes and people; returns how many regions changed."""
    changed: Counter = Counter()
    if not Region.objects.filter(code__in=DISTRICTS).exists():
        return changed
    shapes, people = demo_shapes(seed=seed)
    for region in Region.objects.filter(code__in=set(shapes) | set(people)).order_by("code"):
        boundary = _geojson(shapes[region.code]) if region.code in shapes else region.boundary
        population = people.get(region.code, region.population)
        if boundary != region.boundary or population != region.population:
            region_shape_set(region=region, boundary=boundary, population=population)
            changed["regions shaped"] += 1
    return changed
