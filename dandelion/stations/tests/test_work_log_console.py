"""The console's station pages (我的驿站): facts, the "信息已核实" button, the work log form and
its paged list, by role and scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dandelion.accounts.testing import client_for
from dandelion.core.console import sections_for
from dandelion.core.models import AuditEvent
from dandelion.stations.models import Station, StationServiceLog
from dandelion.stations.services import service_log_add

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def page(station) -> str:
    return f"/console/stations/{station.pk}/"


def entry(client, station, key="form-1", **fields):
    data = {
        "date": TODAY.isoformat(),
        "kind": "legal",
        "people_served": "8",
        "bottles": "",
        "note": "律师驻站",
        "idempotency_key": key,
    } | fields
    return client.post(f"/console/stations/{station.pk}/services/", data)


def test_the_section_shows_for_managers_and_admins_only(world):
    def keys(user):
        return {s.key for s in sections_for(user)}

    assert "stations_work_log" in keys(world.manager_x)
    assert "stations_work_log" in keys(world.admin_x)
    assert "stations_work_log" not in keys(world.dispatcher_x)


def test_the_list_holds_the_callers_stations(world):
    body = client_for(world.manager_x).get("/console/stations/").content.decode()
    assert "甘棠驿站" in body and "十里驿站" not in body
    body = client_for(world.admin_l).get("/console/stations/").content.decode()
    assert "十里驿站" in body and "甘棠驿站" not in body


def test_the_manager_logs_a_service_and_sees_it(world):
    client = client_for(world.manager_x)
    response = entry(client, world.station_x)
    assert response.status_code == 302
    assert entry(client, world.station_x).status_code == 302  # the same form sent twice
    assert StationServiceLog.objects.count() == 1
    body = client.get(page(world.station_x)).content.decode()
    assert "律师驻站" in body and "法律咨询" in body


def test_a_mistake_keeps_the_input_and_names_the_field(world):
    client = client_for(world.manager_x)
    response = entry(client, world.station_x, kind="drinks_refill", note="补了两箱")
    assert response.status_code == 422
    body = response.content.decode()
    assert "冰箱补给请填写发放的瓶数。" in body and "补了两箱" in body
    assert not StationServiceLog.objects.exists()


def test_others_get_the_404_page(world):
    client = client_for(world.manager_l)
    assert client.get(page(world.station_x)).status_code == 404
    assert entry(client, world.station_x).status_code == 404
    assert not StationServiceLog.objects.exists()


def test_confirming_the_facts_and_correcting_area_and_seats(world):
    client = client_for(world.manager_x)
    response = client.post(f"/console/stations/{world.station_x.pk}/facts/", {"action": "confirm"})
    assert response.status_code == 302
    station = Station.objects.get(pk=world.station_x.pk)
    assert station.facts_confirmed_at is not None
    assert AuditEvent.objects.filter(action="stations.facts_confirmed").count() == 1
    client.post(f"/console/stations/{world.station_x.pk}/facts/", {"area_m2": "45", "seats": "12"})
    station.refresh_from_db()
    assert (station.area_m2, station.seats) == (45, 12)
    response = client.post(f"/console/stations/{world.station_x.pk}/facts/", {"seats": "-1"})
    assert response.status_code == 422
    assert (
        client_for(world.admin_l)
        .post(f"/console/stations/{world.station_x.pk}/facts/", {"action": "confirm"})
        .status_code
        == 404
    )


def test_the_log_is_paged_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.manager_x)
    client.get(page(world.station_x))
    for i in range(25):
        service_log_add(
            actor=world.manager_x,
            station=world.station_x,
            day=TODAY - timedelta(days=i),
            kind_code="health_check",
            people_served=i,
            idempotency_key=f"k{i}",
        )
    with django_assert_max_num_queries(20):
        body = client.get(page(world.station_x)).content.decode()
    assert "1 / 2" in body
    with django_assert_max_num_queries(20):
        assert client.get(page(world.station_x) + "?page=2").status_code == 200


def test_the_station_list_takes_a_fixed_number_of_queries(
    world, make_station, django_assert_max_num_queries
):
    client = client_for(world.admin_x)
    client.get("/console/stations/")
    for i in range(12):
        make_station(name=f"新驿站{i}", lat=29.70 + i * 0.001)
    with django_assert_max_num_queries(12):
        body = client.get("/console/stations/").content.decode()
    assert "新驿站11" in body
