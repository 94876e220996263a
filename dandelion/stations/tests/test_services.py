import h3
import pytest

from dandelion.core.errors import InvalidInput
from dandelion.stations.models import Station
from dandelion.stations.services import station_update

pytestmark = pytest.mark.django_db


def test_create_derives_h3_cells_and_city_code(make_station):
    station = make_station(lat=29.7275, lng=115.9899)
    assert h3.int_to_str(station.h3_r7) == h3.latlng_to_cell(29.7275, 115.9899, 7)
    assert h3.int_to_str(station.h3_r9) == h3.latlng_to_cell(29.7275, 115.9899, 9)
    assert station.city_code == "360400"


def test_moving_a_station_moves_its_cells(make_station, jiujiang):
    station = make_station()
    moved = station_update(station=station, lat=29.6717, lng=116.0253, region=jiujiang["lianxi"])
    assert h3.int_to_str(moved.h3_r9) == h3.latlng_to_cell(29.6717, 116.0253, 9)
    assert Station.objects.get(pk=station.pk).region == jiujiang["lianxi"]


@pytest.mark.parametrize(("lat", "lng"), [(91, 116), (29, 181), (float("nan"), 116)])
def test_bad_coordinates_are_refused_and_nothing_is_written(make_station, lat, lng):
    with pytest.raises(InvalidInput) as err:
        make_station(lat=lat, lng=lng)
    assert err.value.code == "invalid_coordinates"
    assert Station.objects.count() == 0


def test_unknown_amenity_rolls_back_the_whole_create(make_station):
    with pytest.raises(InvalidInput):
        make_station(amenities=["hot_water", "jacuzzi"])
    assert Station.objects.count() == 0


def test_model_validation_errors_name_the_field(make_station):
    with pytest.raises(InvalidInput) as err:
        make_station(kind="castle")
    assert "kind" in {e["field"] for e in err.value.errors}


def test_unknown_fields_are_refused(make_station):
    station = make_station()
    with pytest.raises(InvalidInput):
        station_update(station=station, h3_r9=1)


def test_a_name_is_unique_within_a_region(make_station, jiujiang):
    make_station(name="甘棠驿站")
    with pytest.raises(InvalidInput) as err:
        make_station(name="甘棠驿站")
    assert err.value.code == "invalid_place"
    make_station(name="甘棠驿站", region=jiujiang["lianxi"])  # another region may reuse it


def test_a_retried_exception_is_added_once(make_station):
    from datetime import date

    from dandelion.stations.services import place_add_exception

    station = make_station()
    first = place_add_exception(place=station, day=date(2026, 10, 1), closed=True, note="国庆")
    again = place_add_exception(place=station, day=date(2026, 10, 1), closed=True, note="国庆")
    assert first.pk == again.pk
    assert station.exceptions.count() == 1


def test_set_exceptions_replaces_every_dated_exception(make_station):
    from datetime import date, time

    from dandelion.stations.services import place_add_exception, place_set_exceptions

    station = make_station()
    other = make_station(lat=29.71)
    place_add_exception(place=station, day=date(2026, 10, 1), closed=True, note="国庆")
    place_add_exception(place=other, day=date(2026, 10, 1), closed=True, note="国庆")

    place_set_exceptions(
        place=station,
        exceptions=[
            {"day": date(2027, 2, 6), "closed": True, "opens": time(9), "note": "春节"},
            {"day": date(2027, 2, 5), "closed": False, "opens": time(8), "closes": time(12)},
            {"day": date(2027, 2, 6), "closed": True, "note": "again"},
        ],
    )

    assert sorted(station.exceptions.values_list("date", "closed", "opens", "closes", "note")) == [
        (date(2027, 2, 5), False, time(8), time(12), ""),
        (date(2027, 2, 6), True, None, None, "春节"),
    ]
    assert other.exceptions.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"closed": False, "opens": "09:00"},
        {"closed": False, "opens": "09:00", "closes": "09:00"},
        {"closed": True, "note": "长" * 121},
    ],
)
def test_set_exceptions_refuses_a_bad_one_and_keeps_the_old(make_station, bad):
    from datetime import date, time

    from dandelion.stations.services import place_add_exception, place_set_exceptions

    station = make_station()
    place_add_exception(place=station, day=date(2026, 10, 1), closed=True)
    bad = {k: time.fromisoformat(v) if k in ("opens", "closes") else v for k, v in bad.items()}

    with pytest.raises(InvalidInput) as caught:
        place_set_exceptions(place=station, exceptions=[{"day": date(2027, 2, 6), **bad}])

    assert caught.value.code == "invalid_hours"
    assert list(station.exceptions.values_list("date", flat=True)) == [date(2026, 10, 1)]
