"""The demo's region shapes tile the urban area, and its people are plausible."""

import itertools

import pytest
import shapely
from shapely.geometry import shape

from dandelion.demo.city import REGIONS_CSV
from dandelion.demo.demo_boundaries import demo_boundaries_load, urban_area
from dandelion.regions.models import Region
from dandelion.regions.services import regions_load_csv

# Shapes are rounded to 1e-6 degrees (about 0.1 m): seams may differ by that much.
SLIVER = 1e-7  # square degrees, about 0.1 hectare


@pytest.fixture
def shaped(db):
    regions_load_csv(text=REGIONS_CSV.read_text(encoding="utf-8"))
    created = demo_boundaries_load(seed=7)
    return created, {
        r.code: r for r in Region.objects.filter(boundary__isnull=False).order_by("code")
    }


def _children(shapes: dict, parent: Region) -> list:
    return [shape(r.boundary) for r in shapes.values() if r.parent_id == parent.pk]


def _tiles(parent_shape, parts: list) -> None:
    union = shapely.union_all(parts)
    assert shapely.symmetric_difference(union, parent_shape).area < SLIVER
    for a, b in itertools.combinations(parts, 2):
        assert shapely.intersection(a, b).area < SLIVER


def test_streets_tile_the_urban_area_and_communities_tile_their_street(shaped):
    created, shapes = shaped
    streets = [r for r in shapes.values() if r.level == "street"]
    districts = [r for r in shapes.values() if r.level == "district"]
    assert created["regions shaped"] == len(shapes) + sum(
        1 for r in Region.objects.filter(boundary__isnull=True, population__isnull=False)
    )
    assert {d.code for d in districts} == {"360402", "360403", "360404"}
    assert len(streets) >= 12
    _tiles(urban_area(), [shape(s.boundary) for s in streets])
    for district in districts:
        _tiles(shape(district.boundary), _children(shapes, district))
    for street in streets:
        communities = _children(shapes, street)
        assert communities, street.code
        _tiles(shape(street.boundary), communities)


def test_populations_are_plausible_and_add_up(shaped):
    regions = {r.code: r for r in Region.objects.filter(population__isnull=False)}
    for district in ("360402", "360403", "360404"):
        assert 200_000 < regions[district].population < 1_000_000
        streets = [r for c, r in regions.items() if len(c) == 9 and c.startswith(district)]
        assert regions[district].population == sum(s.population for s in streets)
    for code, street in regions.items():
        communities = [r for c, r in regions.items() if len(c) == 12 and c.startswith(code)]
        if len(code) == 9 and communities:
            assert street.population == sum(c.population for c in communities)
            assert all(1_000 < c.population < 60_000 for c in communities)


def test_loading_again_changes_nothing(shaped):
    assert demo_boundaries_load(seed=7) == {}
