"""The coverage model against hand-computed cases and against brute force."""

from datetime import UTC, datetime, time

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dandelion.core.errors import InvalidInput
from dandelion.core.geo import haversine_m
from dandelion.coverage import cells as model
from dandelion.coverage.selectors import coverage_compute
from dandelion.regions.models import PopulationCell
from dandelion.regions.services import region_shape_set, region_upsert

# A 1.2 km × 1.1 km block of Xunyang (浔阳区), as [lng, lat] rings.
WEST, SOUTH, EAST, NORTH = 115.985, 29.720, 115.997, 29.730


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def block(jiujiang):
    """The community 湓浦社区 with the block as boundary and 4,000 people."""
    return region_shape_set(
        region=jiujiang["community"], boundary=box(WEST, SOUTH, EAST, NORTH), population=4000
    )


def hand_nearest(cells: list[str], places: list[tuple[float, float]]) -> list[float]:
    """Every cell against every place, one haversine at a time."""
    out = []
    for cell in cells:
        lat, lng = h3.cell_to_latlng(cell)
        out.append(
            min((haversine_m(lat, lng, p_lat, p_lng) for p_lat, p_lng in places), default=None)
        )
    return out


def test_reach_defaults():
    assert round(model.reach_m("walk", 15), 1) == 865.4
    assert round(model.reach_m("ebike", 15), 1) == 2884.6


def test_cells_people_and_covered_match_the_hand_computation(block, make_station):
    make_station(lat=29.725, lng=115.990)
    cells = sorted(h3.geo_to_cells(block.boundary, 9))

    result = coverage_compute(region=block)

    assert list(result.cell_ids) == cells and len(cells) > 10
    assert np.allclose(result.cell_people, 4000 / len(cells))
    nearest = hand_nearest(cells, [(29.725, 115.990)])
    assert np.allclose(result.cell_nearest_m, nearest, rtol=0, atol=1e-6)
    reach = 75 * 15 / 1.3
    covered = [d <= reach for d in nearest]
    assert result.cell_covered.tolist() == covered
    (community,) = result.communities
    assert community.code == block.code and community.cells == len(cells)
    assert community.covered_cells == sum(covered)
    assert community.population == 4000 == result.population
    assert community.covered_population == round(4000 * sum(covered) / len(cells))
    assert result.share == round(sum(covered) / len(cells), 4)
    assert result.reach_m == 865.4
    assert len(result.gaps()["features"]) == len(cells) - sum(covered)


def test_a_cell_exactly_at_the_reach_is_covered(block, make_station):
    """Covered is `nearest ≤ reach`: find the minutes at which the reach first reaches a cell's
    distance; a hair less leaves the cell out."""
    make_station(lat=29.7250, lng=115.9900)
    distances = coverage_compute(region=block).cell_nearest_m
    target = float(np.sort(distances)[len(distances) // 2])
    minutes = target * 1.3 / 75
    while model.reach_m("walk", minutes) < target:
        minutes = float(np.nextafter(minutes, np.inf))
    while model.reach_m("walk", float(np.nextafter(minutes, 0))) >= target:
        minutes = float(np.nextafter(minutes, 0))
    just_short = float(np.nextafter(minutes, 0))
    assert model.reach_m("walk", just_short) < target <= model.reach_m("walk", minutes)

    at_reach = coverage_compute(region=block, minutes=minutes)
    short = coverage_compute(region=block, minutes=just_short)

    exactly = at_reach.cell_nearest_m == target
    assert exactly.any() and at_reach.cell_covered[exactly].all()
    assert not short.cell_covered[exactly].any()
    assert at_reach.communities[0].covered_cells - short.communities[0].covered_cells == int(
        exactly.sum()
    )


def test_a_station_outside_the_region_covers_cells_inside_it(block, jiujiang, make_station):
    # 300 m east of the block, in another district.
    make_station(lat=29.725, lng=EAST + 0.003, region=jiujiang["lianxi"])

    result = coverage_compute(region=block)

    assert result.communities[0].covered_cells > 0
    assert 0 < result.share < 1


def test_no_station_covers_nothing(block):
    result = coverage_compute(region=block)

    assert result.covered_population == 0 and result.share == 0
    assert np.isinf(result.cell_nearest_m).all()
    assert result.communities[0].nearest_m_p50 is None
    assert len(result.gaps()["features"]) == result.communities[0].cells


def test_open_at_counts_only_places_open_across_midnight(block, make_station):
    # Open 22:00–02:00 every day (past midnight), in the middle of the block.
    make_station(lat=29.725, lng=115.991, hours=[(d, time(22), time(2)) for d in range(7)])
    # 2026-12-07 is a Monday; Asia/Shanghai is UTC+8.
    at_1am = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # Tuesday 01:00 local
    at_3am = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # Tuesday 03:00 local
    now = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)

    open_late = coverage_compute(region=block, at=at_1am, now=now)
    closed = coverage_compute(region=block, at=at_3am, now=now)
    any_time = coverage_compute(region=block, now=now)

    assert open_late.covered_population == any_time.covered_population > 0
    assert closed.covered_population == 0


def test_amenity_filter_and_partners(block, jiujiang, make_station):
    from dandelion.stations.services import partner_create

    make_station(lat=29.721, lng=115.986, amenities=["toilet"])
    make_station(lat=29.729, lng=115.996)
    partner_create(
        name="便利店",
        region=jiujiang["street"],
        kind="caring_merchant",
        address="路1号",
        lat=29.725,
        lng=115.991,
    )

    every = coverage_compute(region=block)
    with_toilet = coverage_compute(region=block, amenity="toilet")
    partners_too = coverage_compute(region=block, include_partners=True)

    hand_toilet = hand_nearest(list(every.cell_ids), [(29.721, 115.986)])
    assert np.allclose(with_toilet.cell_nearest_m, hand_toilet, atol=1e-6)
    assert with_toilet.covered_population < every.covered_population
    hand_all = hand_nearest(
        list(every.cell_ids), [(29.721, 115.986), (29.729, 115.996), (29.725, 115.991)]
    )
    assert np.allclose(partners_too.cell_nearest_m, hand_all, atol=1e-6)
    assert partners_too.covered_population >= every.covered_population


def test_unknown_amenity_and_bad_parameters_are_refused(block):
    for kwargs in ({"amenity": "teleporter"}, {"mode": "swim"}, {"minutes": 0}, {"minutes": 500}):
        with pytest.raises(InvalidInput):
            coverage_compute(region=block, **kwargs)


def test_a_region_without_boundaries_is_refused(jiujiang):
    with pytest.raises(InvalidInput) as err:
        coverage_compute(region=jiujiang["xunyang"])
    assert err.value.code == "no_boundary"


def test_the_population_grid_wins_over_the_even_split(block, make_station):
    make_station(lat=29.725, lng=115.990)
    cells = sorted(h3.geo_to_cells(block.boundary, 9))
    # Everyone lives in the first cell; the rest of the block is empty.
    PopulationCell.objects.create(h3=cells[0], people=700, city_code="360400")

    result = coverage_compute(region=block)

    assert result.population == 700
    assert result.cell_people[0] == 700 and result.cell_people[1:].sum() == 0
    covered_first = bool(result.cell_covered[0])
    assert result.covered_population == (700 if covered_first else 0)
    assert result.communities[0].nearest_m_p50 == round(float(result.cell_nearest_m[0]), 1)


def test_the_region_is_measured_by_its_communities(block, jiujiang, make_station):
    second = region_upsert(code="360403001002", name="第二社区", parent=jiujiang["street"])
    region_shape_set(region=second, boundary=box(EAST, SOUTH, EAST + 0.01, NORTH), population=1000)
    make_station(lat=29.725, lng=115.990)

    result = coverage_compute(region=jiujiang["xunyang"])

    assert [c.code for c in result.communities] == [block.code, second.code]
    assert result.population == 5000
    assert result.covered_population == sum(c.covered_population for c in result.communities)
    assert len(set(result.cell_ids)) == len(result.cell_ids)


lat_st = st.floats(29.60, 29.80, allow_nan=False)
lng_st = st.floats(115.90, 116.10, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.tuples(lat_st, lng_st), min_size=1, max_size=40),
    places=st.lists(st.tuples(lat_st, lng_st), min_size=0, max_size=40),
    repeat=st.integers(0, 3),
)
def test_the_index_gives_the_brute_force_answer(cells, places, repeat):
    """Equal to the last bit, also with places repeated (ties) and cells on places."""
    places = places + places[:repeat] + cells[:repeat]
    cell_lat, cell_lng = (np.array(v, dtype=float) for v in zip(*cells, strict=True))
    if places:
        place_lat, place_lng = (np.array(v, dtype=float) for v in zip(*places, strict=True))
    else:
        place_lat = place_lng = np.array([], dtype=float)

    fast = model.nearest_m(cell_lat, cell_lng, place_lat, place_lng)
    brute = model.nearest_m_brute(cell_lat, cell_lng, place_lat, place_lng)

    assert np.array_equal(fast, brute)


def test_weighted_quantile():
    values = np.array([10.0, 20.0, 30.0, 40.0])
    assert model.weighted_quantile(values, np.array([1.0, 1, 1, 1]), 0.5) == 20.0
    assert model.weighted_quantile(values, np.array([0.0, 0, 0, 5]), 0.5) == 40.0
    assert model.weighted_quantile(values, np.zeros(4), 0.9) == 40.0
    assert model.weighted_quantile(np.array([]), np.array([]), 0.5) is None


def test_a_street_whose_communities_have_no_boundary_counts_as_one(block, jiujiang):
    other = region_upsert(code="360403002", name="湓浦街道", parent=jiujiang["xunyang"])
    region_shape_set(region=other, boundary=box(EAST, SOUTH, EAST + 0.01, NORTH), population=900)
    # The street holding the block has a boundary too: its community is finer.
    region_shape_set(region=jiujiang["street"], boundary=box(WEST, SOUTH, EAST, NORTH))

    result = coverage_compute(region=jiujiang["xunyang"])

    assert [c.code for c in result.communities] == [block.code, other.code]
    assert result.population == 4900


def test_answers_are_kept_until_places_regions_or_the_grid_change(block, make_station):
    make_station(lat=29.725, lng=115.990)
    first = coverage_compute(region=block)
    assert coverage_compute(region=block) is first
    assert coverage_compute(region=block, minutes=10) is not first
    with pytest.raises(ValueError):
        first.cell_covered[0] = False  # shared answers are read-only

    make_station(lat=29.721, lng=115.986)  # a new place
    second = coverage_compute(region=block)
    assert second is not first and second.covered_population >= first.covered_population

    region_shape_set(region=block, population=8000)  # a region's people
    third = coverage_compute(region=block)
    assert third.population == 8000

    PopulationCell.objects.create(h3=third.cell_ids[0], people=5, city_code="360400")  # the grid
    assert coverage_compute(region=block).population == 5
