"""The map asks for the places in its view (GeoJSON by bbox), not for the whole city: an answer
holds only what the box holds, in a fixed number of queries, and stays small per place."""

import pytest

from dandelion.stations.services import partner_create

pytestmark = pytest.mark.django_db

# A city block grid: 12 × 12 stations 1 km apart (a city of 5,000 places is the same grid,
# bigger; what a view holds depends only on its box).
GRID = 12
STEP = 0.009  # degrees of latitude ≈ 1 km
SOUTH, WEST = 29.62, 115.90


@pytest.fixture
def city(make_station, jiujiang):
    stations = [
        make_station(name=f"驿站{row}-{col}", lat=SOUTH + row * STEP, lng=WEST + col * STEP)
        for row in range(GRID)
        for col in range(GRID)
    ]
    partner = partner_create(
        name="爱心商铺",
        region=jiujiang["xunyang"],
        address="浔阳路",
        lat=SOUTH + 2.5 * STEP,
        lng=WEST + 2.5 * STEP,
        kind="caring_merchant",
        is_24h=True,
    )
    return stations, partner


def view(rows: tuple[int, int], cols: tuple[int, int]) -> str:
    """A bbox around grid rows and columns (inclusive), half a step of margin."""
    return ",".join(
        f"{v:.5f}"
        for v in (
            WEST + (cols[0] - 0.5) * STEP,
            SOUTH + (rows[0] - 0.5) * STEP,
            WEST + (cols[1] + 0.5) * STEP,
            SOUTH + (rows[1] + 0.5) * STEP,
        )
    )


def test_a_street_view_gets_only_the_places_in_it(client, city, django_assert_max_num_queries):
    stations, partner = city
    box = view((2, 4), (2, 4))  # a 3 × 3 km view

    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/stations.geojson?bbox={box}&include_partners=true")

    assert response.status_code == 200
    features = response.json()["features"]
    inside = {s.pk for s in stations if 2 <= round((s.lat - SOUTH) / STEP) <= 4}
    inside &= {s.pk for s in stations if 2 <= round((s.lng - WEST) / STEP) <= 4}
    assert {f["properties"]["id"] for f in features if f["id"].startswith("station")} == inside
    assert [f["id"] for f in features if f["id"].startswith("partner")] == [f"partner-{partner.pk}"]
    # Light: under 400 bytes a place, so even a view of 1,000 places stays under 400 KB.
    assert len(response.content) / len(features) < 400


def test_the_query_count_does_not_grow_with_the_view(client, city, django_assert_num_queries):
    small = view((0, 1), (0, 1))
    whole = view((0, GRID - 1), (0, GRID - 1))

    with django_assert_num_queries(5):
        assert len(client.get(f"/api/v1/stations.geojson?bbox={small}").json()["features"]) == 4
    with django_assert_num_queries(5):
        features = client.get(f"/api/v1/stations.geojson?bbox={whole}").json()["features"]
    assert len(features) == GRID * GRID


@pytest.mark.parametrize(("mode", "amap_t"), [("walk", "t=2"), ("ride", "t=3"), ("drive", "t=0")])
def test_a_places_navigation_plans_the_route_for_the_workers_mode(client, city, mode, amap_t):
    stations, partner = city

    station = client.get(f"/api/v1/stations/{stations[0].pk}?mode={mode}").json()
    place = client.get(f"/api/v1/partners/{partner.pk}?mode={mode}").json()

    assert station["navigation"]["amap_app"].endswith(amap_t)
    assert place["navigation"]["amap_app"].endswith(amap_t)
    assert client.get(f"/api/v1/stations/{stations[0].pk}?mode=fly").status_code == 422
