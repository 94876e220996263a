"""Stars in every station payload, and the exact `min_stars` filters of the list, GeoJSON and
nearby search (nearby: the index's per-level trees against ranking every row)."""

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dandelion.core.geo import haversine_m
from dandelion.stations import selectors
from dandelion.stations.models import Station
from dandelion.stations.services import partner_create, station_stars_set

pytestmark = pytest.mark.django_db

# Few rated stations, as in the programmes: most unrated or three stars, a few four or five.
STAR_WEIGHTS = [(0, 40), (1, 3), (2, 5), (3, 30), (4, 8), (5, 4)]


@pytest.fixture
def rated(make_station):
    rng = random.Random(11)
    levels = [level for level, weight in STAR_WEIGHTS for _ in range(weight)]
    stations = []
    for _ in range(90):
        station = make_station(
            lat=29.705 + rng.gauss(0, 0.04),
            lng=116.002 + rng.gauss(0, 0.04),
            kind=rng.choice(["comprehensive", "rider_home"]),
        )
        stars = rng.choice(levels)
        if stars:
            Station.objects.filter(pk=station.pk).update(
                stars=stars, stars_valid_until=date(2027, 6, 30)
            )
            station.stars = stars
        stations.append(station)
    return stations


def brute_force(stations, lat, lng, limit, min_stars, kind=None):
    ranked = sorted(
        (haversine_m(lat, lng, s.lat, s.lng), s.pk)
        for s in stations
        if s.stars >= min_stars and (kind is None or s.kind == kind)
    )
    return [pk for _, pk in ranked[:limit]]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lat=st.floats(min_value=29.4, max_value=30.0),
    lng=st.floats(min_value=115.7, max_value=116.3),
    limit=st.integers(min_value=1, max_value=50),
    min_stars=st.integers(min_value=0, max_value=5),
)
def test_nearby_min_stars_matches_brute_force(rated, lat, lng, limit, min_stars):
    hits = selectors.stations_nearby(lat=lat, lng=lng, limit=limit, min_stars=min_stars)
    assert [h.place.id for h in hits] == brute_force(rated, lat, lng, limit, min_stars)


def test_nearby_min_stars_with_another_filter_is_exact(rated):
    hits = selectors.stations_nearby(
        lat=29.70, lng=116.0, limit=8, min_stars=3, kinds=["rider_home"]
    )
    expected = brute_force(rated, 29.70, 116.0, 8, 3, kind="rider_home")
    assert [h.place.id for h in hits] == expected
    assert expected


def test_nearby_sees_new_stars_at_once(make_station):
    station = make_station()
    assert selectors.stations_nearby(lat=29.7, lng=116.0, min_stars=4) == []
    station_stars_set(station=station, stars=4, valid_until=None, reason="approved")
    [hit] = selectors.stations_nearby(lat=29.7, lng=116.0, min_stars=4)
    assert (hit.place.id, hit.place.stars) == (station.pk, 4)
    station_stars_set(station=station, stars=2, valid_until=None, reason="veto")
    assert selectors.stations_nearby(lat=29.7, lng=116.0, min_stars=4) == []


@pytest.fixture
def partner(jiujiang):
    return partner_create(
        name="爱心商铺",
        region=jiujiang["xunyang"],
        address="浔阳路1号",
        lat=29.7061,
        lng=116.0021,
        kind="caring_merchant",
    )


def test_partners_have_no_stars_so_min_stars_leaves_them_out(client, make_station, partner):
    station = make_station(lat=29.72, lng=116.01)
    station_stars_set(station=station, stars=1, valid_until=None, reason="x")
    url = "/api/v1/stations/nearby?lat=29.7061&lng=116.0021&include_partners=true"
    body = client.get(url).json()
    assert [(i["type"], i["stars"]) for i in body["items"]] == [("partner", 0), ("station", 1)]
    body = client.get(url + "&min_stars=1").json()
    assert [i["id"] for i in body["items"]] == [station.pk]
    features = client.get("/api/v1/stations.geojson?include_partners=true&min_stars=1").json()
    assert [f["id"] for f in features["features"]] == [f"station-{station.pk}"]


def test_every_station_payload_carries_its_stars(client, make_station):
    station = make_station()
    station_stars_set(station=station, stars=5, valid_until=date(2027, 12, 31), reason="x")
    Station.objects.filter(pk=station.pk).update(seats=12, area_m2=40)
    expected = {"stars": 5, "stars_valid_until": "2027-12-31"}

    def stars_of(item):
        return {k: item[k] for k in expected}

    [listed] = client.get("/api/v1/stations").json()["items"]
    assert stars_of(listed) == expected and listed["seats"] == 12
    assert stars_of(client.get(f"/api/v1/stations/{station.pk}").json()) == expected
    [near] = client.get("/api/v1/stations/nearby?lat=29.7&lng=116.0").json()["items"]
    assert stars_of(near) == expected
    [feature] = client.get("/api/v1/stations.geojson").json()["features"]
    assert stars_of(feature["properties"]) == expected


def test_list_and_geojson_min_stars_are_exact(client, rated):
    for min_stars in range(6):
        expected = sorted(s.pk for s in rated if s.stars >= min_stars)
        body = client.get(f"/api/v1/stations?min_stars={min_stars}&page_size=100").json()
        assert [i["id"] for i in body["items"]] == expected
        assert all(i["stars"] >= min_stars for i in body["items"])
        geo = client.get(f"/api/v1/stations.geojson?min_stars={min_stars}").json()
        assert sorted(f["properties"]["id"] for f in geo["features"]) == expected


@pytest.mark.parametrize("value", ["-1", "6", "two"])
@pytest.mark.parametrize(
    "url", ["/api/v1/stations?min_stars=", "/api/v1/stations/nearby?lat=29.7&lng=116&min_stars="]
)
def test_min_stars_outside_0_to_5_is_refused(client, url, value):
    response = client.get(url + value)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_min_stars_costs_the_list_no_query(client, make_station, django_assert_num_queries):
    for stars in (0, 3, 5):
        station = make_station()
        Station.objects.filter(pk=station.pk).update(stars=stars)
    with django_assert_num_queries(5):
        body = client.get("/api/v1/stations?min_stars=3").json()
    assert len(body["items"]) == 2
