"""The nearby index answers from memory and follows every write, whoever makes it."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dandelion.core.geo import haversine_m
from dandelion.regions.models import Region
from dandelion.stations import place_index, selectors
from dandelion.stations.models import (
    Amenity,
    HoursException,
    OpeningInterval,
    PlacesVersion,
    Station,
)
from dandelion.stations.services import station_update

SHANGHAI = ZoneInfo("Asia/Shanghai")
HERE = {"lat": 29.705, "lng": 116.002}


def ids(hits):
    return [h.place.id for h in hits]


def nearby(**kwargs):
    return selectors.stations_nearby(**{**HERE, "limit": 10, **kwargs})


@pytest.mark.django_db
def test_writes_outside_the_services_reach_the_index(make_station, jiujiang):
    """Triggers, not the services, change the version: the admin, imports and raw SQL count."""
    near = make_station(lat=29.7051, lng=116.0021, amenities=["toilet"])
    far = make_station(lat=29.72, lng=116.01)
    assert ids(nearby()) == [near.pk, far.pk]

    Station.objects.filter(pk=near.pk).update(status="suspended")
    assert ids(nearby()) == [far.pk]
    Station.objects.filter(pk=near.pk).update(status="active")
    assert ids(nearby(amenity_codes=["toilet"])) == [near.pk]

    near.amenities.clear()
    assert ids(nearby(amenity_codes=["toilet"])) == []
    far.amenities.add(Amenity.objects.get(code="toilet"))
    assert ids(nearby(amenity_codes=["toilet"])) == [far.pk]

    Amenity.objects.filter(code="toilet").update(name_zh="公共厕所")
    assert [a.name_zh for a in nearby(amenity_codes=["toilet"])[0].amenities] == ["公共厕所"]

    Region.objects.filter(pk=jiujiang["xunyang"].pk).update(name="浔阳")
    assert nearby()[0].place.region_name == "浔阳"

    Station.objects.filter(pk=far.pk).delete()
    assert ids(nearby()) == [near.pk]


@pytest.mark.django_db
def test_hours_and_exceptions_written_directly_change_open_now(make_station):
    station = make_station(is_24h=False, hours=[(d, time(9), time(18)) for d in range(7)], **HERE)
    evening = timezone_moment(20)
    assert nearby(open_at=evening, now=evening) == []

    OpeningInterval.objects.create(
        station=station, weekday=evening.weekday(), opens=time(19), closes=time(2)
    )
    assert ids(nearby(open_at=evening, now=evening)) == [station.pk]

    HoursException.objects.create(station=station, date=evening.date(), closed=True)
    assert nearby(open_at=evening, now=evening) == []
    assert nearby(now=evening)[0].open_now is False


def timezone_moment(hour: int, days: int = 1) -> datetime:
    """`hour` o'clock Beijing time, `days` from today (inside the index's week)."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), SHANGHAI)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_write_leaves_no_trace_in_the_index(make_station):
    kept = make_station(lat=29.72, lng=116.01)
    before = PlacesVersion.objects.get(pk=1).token

    with pytest.raises(RuntimeError), transaction.atomic():
        ghost = make_station(lat=29.7051, lng=116.0021)
        assert ids(nearby()) == [ghost.pk, kept.pk]  # built inside the transaction
        raise RuntimeError("rolled back")

    assert PlacesVersion.objects.get(pk=1).token == before
    assert ids(nearby()) == [kept.pk]


@pytest.mark.django_db
def test_the_version_is_checked_at_most_once_per_interval(make_station, settings, monkeypatch):
    settings.PLACE_INDEX_CHECK_SECONDS = 1.0
    clock = {"now": 1000.0}
    monkeypatch.setattr(place_index.monotonic_clock, "monotonic", lambda: clock["now"])
    first = make_station(lat=29.7051, lng=116.0021)
    place_index.reset()
    assert ids(nearby()) == [first.pk]

    second = make_station(lat=29.7050, lng=116.0020)
    clock["now"] += 0.5
    with CaptureQueriesContext(connection) as queries:
        assert ids(nearby()) == [first.pk]  # within the second: no query, the old index
    assert len(queries) == 0

    clock["now"] += 0.6
    assert ids(nearby()) == [second.pk, first.pk]


@pytest.mark.django_db
def test_an_exception_beyond_the_indexed_week_is_still_applied(make_station):
    station = make_station(**HERE)  # 24 hours
    far_day = datetime.now(SHANGHAI).date() + timedelta(days=30)
    HoursException.objects.create(station=station, date=far_day, closed=True)
    today_noon = timezone_moment(12, days=0)
    assert ids(nearby(now=today_noon)) == [station.pk]  # the index of this week

    moment = datetime.combine(far_day, time(12), SHANGHAI)
    assert nearby(open_at=moment, now=moment) == []
    assert ids(nearby(now=today_noon, open_at=today_noon)) == [station.pk]


@pytest.mark.django_db
def test_dense_co_located_and_rare_places_are_ranked_exactly(make_station):
    """A dense centre with co-located places (ties go by id), and an amenity only a few have:
    the search asks the tree for more candidates until the answer is certain."""
    rng = random.Random(11)
    stations = []
    for i in range(150):
        lat, lng = 29.705 + rng.gauss(0, 0.004), 116.002 + rng.gauss(0, 0.004)
        if i % 10 == 9:
            lat, lng = stations[-1].lat, stations[-1].lng  # on the previous station's point
        rare = ["battery_swap"] if i % 37 == 0 else []
        stations.append(make_station(lat=lat, lng=lng, amenities=["toilet", *rare]))

    def brute(lat, lng, limit, predicate=lambda s: True):
        ranked = sorted(
            (haversine_m(lat, lng, s.lat, s.lng), s.pk) for s in stations if predicate(s)
        )
        return [pk for _, pk in ranked[:limit]]

    rare_ids = {s.pk for i, s in enumerate(stations) if i % 37 == 0}
    for _ in range(30):
        lat, lng = 29.705 + rng.uniform(-0.02, 0.02), 116.002 + rng.uniform(-0.02, 0.02)
        limit = rng.randint(1, 30)
        assert ids(selectors.stations_nearby(lat=lat, lng=lng, limit=limit)) == brute(
            lat, lng, limit
        )
        rare = selectors.stations_nearby(
            lat=lat, lng=lng, limit=limit, amenity_codes=["battery_swap"]
        )
        assert ids(rare) == brute(lat, lng, limit, lambda s: s.pk in rare_ids)


@pytest.mark.django_db
def test_nearest_across_the_antimeridian(make_station):
    east = make_station(lat=-17.0, lng=179.995)
    west = make_station(lat=-17.0, lng=-179.990)
    far = make_station(lat=-17.0, lng=179.9)
    hits = selectors.stations_nearby(lat=-17.0, lng=-179.999, limit=3)
    assert ids(hits) == [east.pk, west.pk, far.pk]
    assert hits[0].distance_m == pytest.approx(haversine_m(-17.0, -179.999, -17.0, 179.995))


@pytest.mark.django_db
def test_the_index_reports_its_size_and_build_time(make_station):
    make_station(**HERE)
    index = place_index.current()
    assert len(index.stations) == 1 and len(index.partners) == 0
    assert index.approximate_size_bytes() > 0 and index.build_seconds >= 0


@pytest.mark.django_db
def test_an_edit_through_the_service_moves_the_station(make_station):
    station = make_station(lat=29.80, lng=116.10)
    other = make_station(lat=29.72, lng=116.01)
    assert ids(nearby()) == [other.pk, station.pk]
    station_update(station=station, lat=29.7051, lng=116.0021)
    hits = nearby()
    assert ids(hits) == [station.pk, other.pk]
    assert hits[0].distance_m == pytest.approx(haversine_m(29.705, 116.002, 29.7051, 116.0021))


@pytest.mark.django_db
def test_open_now_remembered_per_hours_matches_working_it_out_each_time(make_station):
    """The index remembers each hours' answer until it can change; over a week of moments,
    forwards and back, that is the answer the hours give when asked afresh."""
    rng = random.Random(7)
    shapes = [
        [(d, time(9), time(18)) for d in range(5)],
        [(d, time(22), time(6)) for d in range(7)],
        [(0, time(8), time(12)), (0, time(13, 30), time(20)), (5, time(10), time(2))],
    ]
    for i in range(12):
        make_station(lat=29.70 + i / 1000, lng=116.0, hours=rng.choice(shapes))
    make_station(lat=29.69, lng=116.0)  # 24 hours
    HoursException.objects.create(
        station=Station.objects.first(), date=timezone_moment(0).date(), closed=True
    )
    index = place_index.current()
    places = list(index.stations.places)
    start = timezone_moment(0, days=0)
    moments = [start + timedelta(minutes=rng.randrange(0, 7 * 24 * 60)) for _ in range(400)]
    moments += sorted(moments) + [start + timedelta(minutes=30 * k) for k in range(7 * 48)]
    for moment in moments:
        for place in places:
            expected = place.hours.is_open_at(moment, place.tz)
            assert index.is_open_at(place, moment) is expected, (place.id, moment)
