"""The point lookup reports use: boundaries where they exist, nearest street centre elsewhere."""

import pytest

from dandelion.core.errors import InvalidInput
from dandelion.regions.services import region_shape_set, region_upsert
from dandelion.reports.selectors import region_for_point


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_without_boundaries_the_nearest_street_centre(jiujiang):
    assert region_for_point(lat=29.70, lng=115.99) == jiujiang["street"]
    with pytest.raises(InvalidInput):
        region_for_point(lat=10.0, lng=10.0)


def test_a_boundary_wins_over_a_nearer_centre(jiujiang):
    # A second street whose centre is nearer to the point, but whose boundary does not hold it.
    other = region_upsert(
        code="360403002",
        name="人民路街道",
        parent=jiujiang["xunyang"],
        center_lat=29.70,
        center_lng=115.99,
    )
    region_shape_set(region=other, boundary=box(115.98, 29.695, 116.0, 29.705))
    region_shape_set(region=jiujiang["street"], boundary=box(115.98, 29.705, 116.0, 29.74))
    assert region_for_point(lat=29.706, lng=115.99) == jiujiang["street"]
    assert region_for_point(lat=29.70, lng=115.99) == other


def test_the_deepest_boundary_a_community(jiujiang):
    region_shape_set(region=jiujiang["street"], boundary=box(115.98, 29.705, 116.0, 29.74))
    region_shape_set(region=jiujiang["community"], boundary=box(115.985, 29.71, 115.995, 29.72))
    assert region_for_point(lat=29.715, lng=115.99) == jiujiang["community"]
    assert region_for_point(lat=29.73, lng=115.99) == jiujiang["street"]


def test_a_district_boundary_keeps_the_nearest_street_inside_it(jiujiang):
    region_upsert(
        code="360402001",
        name="濂溪街道",
        parent=jiujiang["lianxi"],
        center_lat=29.69,
        center_lng=116.0,
    )
    region_shape_set(region=jiujiang["xunyang"], boundary=box(115.9, 29.69, 116.1, 29.8))
    # Nearer to 濂溪街道's centre, but inside 浔阳区: its street.
    assert region_for_point(lat=29.692, lng=116.0) == jiujiang["street"]
