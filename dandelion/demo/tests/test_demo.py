"""The Jiujiang demo city: the right mix, on land, deterministic and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from dandelion.demo.city import STATION_MIX, city_build, station_digest
from dandelion.demo.geography import LAKES, on_land
from dandelion.demo.services import demo_city_load
from dandelion.regions.models import Region
from dandelion.stations.models import HoursException, OpeningInterval, PartnerPlace, Station

# The boxes the programme brief gives for the lakes, and the river line it gives.
BRIEF_LAKES = {
    "甘棠湖": (29.700, 29.712, 115.985, 115.995),
    "八里湖": (29.66, 29.69, 115.93, 115.97),
}
RIVER_LAT = 29.74


def load(seed: int | None = None) -> str:
    out = StringIO()
    call_command("load_demo", *([] if seed is None else ["--seed", str(seed)]), stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything a load writes, as comparable values (timestamps included)."""
    return {
        "regions": list(Region.objects.order_by("code").values_list()),
        "stations": list(Station.objects.order_by("uuid").values_list()),
        "station_amenities": sorted(
            Station.amenities.through.objects.values_list("station__uuid", "amenity__code")
        ),
        "partners": list(PartnerPlace.objects.order_by("uuid").values_list()),
        "partner_amenities": sorted(
            PartnerPlace.amenities.through.objects.values_list(
                "partnerplace__uuid", "amenity__code"
            )
        ),
        "hours": sorted(
            OpeningInterval.objects.values_list(
                "station__uuid", "partner__uuid", "weekday", "opens", "closes"
            ),
            key=str,
        ),
        "exceptions": sorted(
            HoursException.objects.values_list(
                "station__uuid", "partner__uuid", "date", "closed", "opens", "closes", "note"
            ),
            key=str,
        ),
    }


def db_station_digest() -> str:
    return station_digest(Station.objects.values_list("name", "lat", "lng", "kind"))


def outside_brief_lakes(lat: float, lng: float) -> bool:
    return not any(s <= lat <= n and w <= lng <= e for s, n, w, e in BRIEF_LAKES.values())


# --- the generator alone (no database) ---------------------------------------------------------


def test_same_seed_gives_the_same_city_and_another_seed_another():
    assert city_build(seed=2023) == city_build(seed=2023)
    assert city_build(seed=2023).station_digest() == city_build().station_digest()
    assert city_build(seed=2023).station_digest() != city_build(seed=2024).station_digest()


@pytest.mark.parametrize("seed", [2023, 1, 99])
def test_every_point_is_on_land_south_of_the_river_and_outside_the_lakes(seed):
    city = city_build(seed=seed)
    for place in (*city.stations, *city.partners):
        assert place.lat < RIVER_LAT, place.name
        assert outside_brief_lakes(place.lat, place.lng), place.name
        assert on_land(place.lat, place.lng), place.name
        assert not any(box.contains(place.lat, place.lng) for box in LAKES.values())


def test_the_generated_mix_follows_the_programmes():
    city = city_build()
    assert len(city.stations) == 183 == sum(STATION_MIX.values())
    assert len({p.name for p in (*city.stations, *city.partners)}) == 183 + len(city.partners)
    all_day = sum(s.is_24h for s in city.stations)
    assert 0.10 * 183 <= all_day <= 0.15 * 183
    for station in city.stations:
        assert {"hot_water", "microwave", "first_aid", "books", "drinking_water"} <= set(
            station.amenity_codes
        )
        assert 20 <= station.area_m2 <= 300
        assert station.phone.startswith("0792-")
        if station.kind == "rider_home":
            assert {"battery_swap", "ebike_charging", "repair_tools"} <= set(station.amenity_codes)
        if station.kind == "driver_home":
            assert {"truck_parking", "shower", "toilet"} <= set(station.amenity_codes)


# --- loading ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_builds_jiujiang():
    output = load()

    assert "stations: 183 (183 created, 0 updated)" in output
    assert Station.objects.count() == 183
    origins = set(Station.objects.values_list("origin", flat=True))
    assert origins == {c for c, _ in Station.Origin.choices}
    assert set(Station.objects.values_list("kind", flat=True)) == {
        c for c, _ in Station.Kind.choices
    }
    assert Station.objects.filter(origin__startswith="partner").count() == 66
    assert Station.objects.exclude(status="active").count() in (1, 2, 3)
    assert PartnerPlace.objects.filter(kind="caring_merchant").count() == 40
    assert PartnerPlace.objects.filter(kind="service_corner").count() == 17
    assert not PartnerPlace.objects.filter(offer="").exists()

    for district in ("360403", "360402", "360404"):
        streets = Region.objects.filter(parent__code=district, level="street")
        assert streets.count() >= 3, district
        assert Region.objects.filter(parent__in=streets, level="community").count() >= 6
    assert Region.objects.get(code="360403001").name == "甘棠街道"
    assert Region.objects.filter(code__startswith="3604", level="district").count() == 13

    for station in Station.objects.prefetch_related("hours"):
        assert station.is_24h or station.hours.exists(), station.name
        assert station.city_code == "360400"
        assert station.region.level == "community"
        assert station.lat < RIVER_LAT and outside_brief_lakes(station.lat, station.lng)
    assert OpeningInterval.objects.filter(closes__lt=F("opens")).exists()  # overnight
    assert HoursException.objects.filter(date__year=2026, closed=True).exists()
    assert db_station_digest() == city_build().station_digest()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load()
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "(0 created, 0 updated)" in output
    assert "dated exceptions: 0 added, 0 removed" in output


@pytest.mark.django_db
def test_another_seed_updates_the_same_rows_in_place():
    load(seed=5)
    digest_5 = db_station_digest()

    load(seed=6)

    assert Station.objects.count() == 183
    assert PartnerPlace.objects.count() == 57
    assert db_station_digest() == city_build(seed=6).station_digest() != digest_5


def seed_exceptions(seed: int) -> list[tuple]:
    """The dated exceptions the city of `seed` gives, as `db_exceptions` lists them."""
    city = city_build(seed=seed)
    rows = [
        (str(spec.uuid), None, e.day, e.closed, e.opens, e.closes, e.note)
        for spec in city.stations
        for e in spec.exceptions
    ] + [
        (None, str(spec.uuid), e.day, e.closed, e.opens, e.closes, e.note)
        for spec in city.partners
        for e in spec.exceptions
    ]
    return sorted(rows, key=str)


def db_exceptions() -> list[tuple]:
    rows = HoursException.objects.values_list(
        "station__uuid", "partner__uuid", "date", "closed", "opens", "closes", "note"
    )
    return sorted(
        ((str(s) if s else None, str(p) if p else None, *rest) for s, p, *rest in rows), key=str
    )


@pytest.mark.django_db
def test_another_seed_leaves_exactly_its_own_dated_exceptions():
    demo_city_load(seed=5)
    assert db_exceptions() == seed_exceptions(5) != seed_exceptions(6)

    summary = demo_city_load(seed=6)

    assert db_exceptions() == seed_exceptions(6)
    assert summary.exceptions_removed > 0 and summary.exceptions_added > 0


@pytest.mark.django_db
def test_loading_the_same_seed_again_keeps_the_exception_rows():
    demo_city_load(seed=5)
    before = list(HoursException.objects.order_by("pk").values_list())

    summary = demo_city_load(seed=5)

    assert list(HoursException.objects.order_by("pk").values_list()) == before
    assert (summary.exceptions_added, summary.exceptions_removed) == (0, 0)
