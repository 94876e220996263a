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
from dandelion.stations.nearest import nearest
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


@pytest.mark.django_db(transaction=True)
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
def test_a_dense_centre_is_ranked_exactly(make_station):
    """More than DENSE_AT places in one res 7 cell: the search starts at res 9."""
    rng = random.Random(11)
    stations = [
        make_station(
            lat=29.705 + rng.gauss(0, 0.004),
            lng=116.002 + rng.gauss(0, 0.004),
            amenities=rng.sample(["toilet", "microwave"], rng.randint(0, 2)),
        )
        for _ in range(place_index.DENSE_AT * 3)
    ]
    active = Station.objects.filter(status="active")
    for _ in range(25):
        lat, lng = 29.705 + rng.uniform(-0.02, 0.02), 116.002 + rng.uniform(-0.02, 0.02)
        limit = rng.randint(1, 30)
        expected = [
            pk for _, pk in sorted((haversine_m(lat, lng, s.lat, s.lng), s.pk) for s in stations)
        ][:limit]
        assert ids(selectors.stations_nearby(lat=lat, lng=lng, limit=limit)) == expected
        # The queryset form of the same search, which the benchmark also measures.
        assert [c.id for c in nearest(active, lat=lat, lng=lng, limit=limit)] == expected
    with_toilet = {s.pk for s in stations if s.amenities.filter(code="toilet").exists()}
    hits = selectors.stations_nearby(lat=29.705, lng=116.002, limit=50, amenity_codes=["toilet"])
    assert set(ids(hits)) <= with_toilet and len(hits) == min(50, len(with_toilet))


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
