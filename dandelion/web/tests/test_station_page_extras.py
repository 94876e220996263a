"""The station page's stars, small map and recent services; no back-office facts."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dandelion.accounts.testing import make_user  # noqa: F401 (a fixture)
from dandelion.stations.services import service_log_add, station_stars_set

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def station(make_station, make_user):  # noqa: F811 (the fixture imported above)
    from dandelion.accounts.services import role_assign

    station = make_station(
        name="甘棠驿站", host_org_name="浔阳区总工会后勤科", origin="new_build", area_m2=40
    )
    station_stars_set(station=station, stars=4, valid_until=date(2027, 6, 30), reason="x")
    manager = make_user(name="站长")
    role_assign(user=manager, role="station_manager", station=station)
    for i, (kind, people, bottles) in enumerate(
        [("health_check", 35, None), ("drinks_refill", 0, 48), ("legal", 6, None)] * 3
    ):
        service_log_add(
            actor=manager,
            station=station,
            day=TODAY - timedelta(days=i),
            kind_code=kind,
            people_served=people,
            bottles=bottles,
            idempotency_key=f"k{i}",
        )
    return station


def test_stars_services_and_map_without_back_office_facts(
    client, station, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        text = client.get(f"/s/{station.pk}/").text
    assert "★★★★☆" in text and "4 星驿站" in text and "有效期至 2027-06-30" in text
    assert "建设方式" not in text and "新建" not in text and "浔阳区总工会后勤科" not in text
    assert "面积 40 平方米" in text
    assert text.count('class="station__service-kind"') == 5  # the five latest
    assert "义诊" in text and "服务 35 人" in text and "发放 48 瓶" in text
    config = json.loads(
        text.split('id="station-map-config" type="application/json">')[1].split("<")[0]
    )
    assert (config["lat"], config["lng"]) == (station.lat, station.lng)
    assert "url" in config["tiles"]


def test_an_unrated_station_without_services_says_so(client, make_station):
    text = client.get(f"/s/{make_station().pk}/").text
    assert "尚未评星" in text and "这里还没有记录义诊、法律咨询等服务。" in text


def test_the_page_in_english(client, station):
    client.cookies["django_language"] = "en"
    text = client.get(f"/s/{station.pk}/").text
    assert "4-star station" in text and "valid until 2027-06-30" in text
    assert "Recent services" in text and "Free health checks" in text
    assert "35 people served" in text and "48 bottles given" in text
    assert "Area 40 m²" in text
