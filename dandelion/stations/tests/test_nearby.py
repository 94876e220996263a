"""Nearby search is exact: the same answer as ranking every row by haversine distance."""

import random
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dandelion.core.errors import InvalidInput
from dandelion.core.geo import haversine_m, to_wgs84
from dandelion.stations import selectors
from dandelion.stations.models import Station
from dandelion.stations.services import partner_create, place_add_exception, place_set_weekly_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
AMENITIES = ["hot_water", "microwave", "toilet", "battery_swap"]
# Clusters: Jiujiang centre, a town 40 km away, and a distant city (Nanchang) 110 km away.
CLUSTERS = [(29.705, 116.002, 0.03, 60), (29.45, 115.80, 0.02, 15), (28.68, 115.86, 0.05, 25)]


def brute_force(stations, lat, lng, limit, predicate=lambda s: True):
    ranked = sorted((haversine_m(lat, lng, s.lat, s.lng), s.pk) for s in stations if predicate(s))
    return [pk for _, pk in ranked[:limit]]


@pytest.fixture
def scattered(make_station):
    rng = random.Random(7)
    stations = []
    for clat, clng, spread, count in CLUSTERS:
        for _ in range(count):
            stations.append(
                make_station(
                    lat=clat + rng.gauss(0, spread),
                    lng=clng + rng.gauss(0, spread),
                    amenities=rng.sample(AMENITIES, rng.randint(0, 3)),
                    kind=rng.choice(["comprehensive", "rider_home", "driver_home"]),
                    is_24h=False,
                    hours=[
                        (d, time(rng.choice([0, 8, 20])), time(rng.choice([6, 18, 23])))
                        for d in range(7)
                    ],
                )
            )
    return stations


def ids(hits):
    return [h.place.id for h in hits]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lat=st.floats(min_value=28.3, max_value=30.2),
    lng=st.floats(min_value=115.3, max_value=116.6),
    limit=st.integers(min_value=1, max_value=50),
)
def test_nearest_matches_brute_force_anywhere(scattered, lat, lng, limit):
    hits = selectors.stations_nearby(lat=lat, lng=lng, limit=limit)
    assert ids(hits) == brute_force(scattered, lat, lng, limit)
    distances = [h.distance_m for h in hits]
    assert distances == sorted(distances)


@pytest.mark.django_db
def test_far_away_query_falls_back_to_every_row(scattered):
    # From Urumqi, 2,800 km away, the H3 disks find nothing; the answer is still exact.
    hits = selectors.stations_nearby(lat=43.825, lng=87.617, limit=5)
    assert ids(hits) == brute_force(scattered, 43.825, 87.617, 5)


@pytest.mark.django_db
def test_amenity_and_kind_filters_are_exact(scattered):
    hits = selectors.stations_nearby(
        lat=29.70, lng=116.0, limit=10, amenity_codes=["hot_water", "toilet"], kinds=["rider_home"]
    )
    expected = brute_force(
        scattered,
        29.70,
        116.0,
        10,
        lambda s: (
            {"hot_water", "toilet"} <= set(s.amenities.values_list("code", flat=True))
            and s.kind == "rider_home"
        ),
    )
    assert ids(hits) == expected
    assert expected  # the fixture must make this case non-trivial


@pytest.mark.django_db
@pytest.mark.parametrize("hour", [3, 12, 21])
def test_open_now_filter_is_exact(scattered, hour):
    moment = datetime(2026, 11, 18, hour, 0, tzinfo=SHANGHAI)
    hits = selectors.stations_nearby(lat=29.70, lng=116.0, limit=15, open_at=moment, now=moment)
    expected = brute_force(
        scattered,
        29.70,
        116.0,
        15,
        lambda s: selectors.place_is_open(selectors.station_get(station_id=s.pk), moment),
    )
    assert ids(hits) == expected
    assert all(h.open_now for h in hits)


@pytest.mark.django_db
def test_inactive_stations_are_never_returned(make_station):
    near = make_station(lat=29.705, lng=116.002, status="suspended")
    far = make_station(lat=29.8, lng=116.1)
    assert ids(selectors.stations_nearby(lat=29.705, lng=116.002, limit=5)) == [far.pk]
    assert near.pk not in ids(selectors.stations_nearby(lat=29.705, lng=116.002, limit=5))


@pytest.mark.django_db
def test_partners_join_the_ranking_only_when_asked(make_station, jiujiang):
    station = make_station(lat=29.710, lng=116.002)
    partner = partner_create(
        name="爱心商铺",
        region=jiujiang["xunyang"],
        address="浔阳路1号",
        lat=29.7051,
        lng=116.0021,
        kind="caring_merchant",
        is_24h=True,
        amenity_codes=["drinking_water"],
    )
    assert ids(selectors.stations_nearby(lat=29.705, lng=116.002, limit=5)) == [station.pk]
    hits = selectors.stations_nearby(lat=29.705, lng=116.002, limit=5, include_partners=True)
    assert [(h.type, h.place.id) for h in hits] == [
        ("partner", partner.pk),
        ("station", station.pk),
    ]


@pytest.mark.django_db
def test_exceptions_close_a_station_for_the_day(make_station):
    station = make_station(lat=29.705, lng=116.002, is_24h=True)
    moment = datetime(2026, 11, 18, 12, 0, tzinfo=SHANGHAI)
    place_add_exception(place=station, day=moment.date(), closed=True, note="设备检修")
    assert (
        selectors.stations_nearby(lat=29.705, lng=116.002, limit=5, open_at=moment, now=moment)
        == []
    )
    hit = selectors.stations_nearby(lat=29.705, lng=116.002, limit=5, now=moment)[0]
    assert hit.open_now is False


@pytest.mark.django_db
def test_unknown_amenity_and_bad_limit_are_refused(make_station):
    make_station()
    with pytest.raises(InvalidInput) as err:
        selectors.stations_nearby(lat=29.7, lng=116.0, amenity_codes=["teleporter"])
    assert err.value.code == "unknown_amenity"
    with pytest.raises(InvalidInput):
        selectors.stations_nearby(lat=29.7, lng=116.0, limit=0)


@pytest.mark.django_db
def test_hours_can_be_replaced(make_station):
    station = make_station(is_24h=False, hours=[(0, time(9), time(18))])
    place_set_weekly_hours(place=station, intervals=[(1, time(20), time(2))], is_24h=False)
    assert list(Station.objects.get(pk=station.pk).hours.values_list("weekday", flat=True)) == [1]


def test_gcj02_query_point_is_converted_before_ranking():
    lat, lng = to_wgs84(29.702462, 116.006995, "gcj02")
    assert haversine_m(lat, lng, 29.705, 116.0019) < 1
