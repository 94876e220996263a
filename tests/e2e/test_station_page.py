"""A station's page (/s/<id>/): hours, amenities, calling and navigating."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dandelion.accounts.testing import make_user  # noqa: F401 (a fixture)
from dandelion.stations.services import (
    place_add_exception,
    service_log_add,
    station_photo_add,
    station_stars_set,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def night_station(make_station, jiujiang):
    """Open 18:00–02:00 Monday to Friday, closed at weekends, closed on a date next week."""
    station = make_station(
        name="浔阳夜班驿站",
        lat=29.7250,
        lng=115.9930,
        region=jiujiang["street"],
        address="九江市浔阳区庐山北路3号",
        phone="0792-8880000",
        kind="rider_home",
        host_org_name="浔阳区总工会",
        amenities=["hot_water", "microwave", "toilet"],
        hours=[(day, time(18), time(2)) for day in range(5)],
    )
    closed_on = timezone.localdate() + timedelta(days=3)
    place_add_exception(place=station, day=closed_on, closed=True, note="消防检查")
    return station, closed_on


def test_station_page_shows_hours_amenities_and_navigation(
    live_server, night_station, page, screenshot
):
    station, closed_on = night_station

    page.goto(f"{live_server.url}/s/{station.pk}/")

    expect(page.locator(".station__name")).to_have_text("浔阳夜班驿站")
    expect(page.locator(".station__kind")).to_contain_text("骑手之家")
    rows = page.locator("table.hours:not(.hours_exceptions) tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(0)).to_have_text("星期一18:00–次日02:00")
    expect(rows.nth(5)).to_have_text("星期六休息")
    expect(page.locator(".hours_exceptions tr")).to_contain_text(["全天休息消防检查"])
    expect(page.locator(".hours_exceptions tr").first).to_contain_text(
        f"{closed_on.month}月{closed_on.day}日"
    )
    expect(page.locator(".amenities__name")).to_have_text(["热水", "微波炉加热", "卫生间"])
    expect(page.locator("a.station__phone")).to_have_attribute("href", "tel:0792-8880000")

    api = page.request.get(f"{live_server.url}/api/v1/stations/{station.pk}").json()
    navigation = api["navigation"]
    expect(page.get_by_role("link", name="高德地图导航")).to_have_attribute(
        "href", navigation["amap"]
    )
    expect(page.get_by_role("link", name="百度地图导航")).to_have_attribute(
        "href", navigation["baidu"]
    )
    expect(page.get_by_role("link", name="腾讯地图导航")).to_have_attribute(
        "href", navigation["tencent"]
    )
    assert navigation["amap"].startswith("https://uri.amap.com/navigation?to=")
    screenshot(page)
    screenshot(page, "full", full_page=True)


@pytest.fixture
def rated_station(night_station, make_user):  # noqa: F811 (the fixture imported above)
    """The night station with four stars, a photo and services in its work log. The photo is
    stored where the live server serves media from, and deleted afterwards."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from dandelion.accounts.services import role_assign

    station, _ = night_station
    station_stars_set(
        station=station, stars=4, valid_until=timezone.localdate() + timedelta(days=300), reason="x"
    )
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (7, 160, 90)).save(out, format="JPEG")
    photo = station_photo_add(
        station=station,
        upload=SimpleUploadedFile("front.jpg", out.getvalue(), "image/jpeg"),
        caption="驿站门口",
    )
    manager = make_user(name="站长")
    role_assign(user=manager, role="station_manager", station=station)
    today = timezone.localdate()
    for days, kind, people, bottles in (
        (1, "health_check", 42, None),
        (3, "drinks_refill", 0, 60),
        (9, "legal", 7, None),
    ):
        service_log_add(
            actor=manager,
            station=station,
            day=today - timedelta(days=days),
            kind_code=kind,
            people_served=people,
            bottles=bottles,
            idempotency_key=kind,
        )
    yield station
    photo.image.delete(save=False)


def test_stars_photo_small_map_and_recent_services(live_server, rated_station, page, screenshot):
    page.goto(f"{live_server.url}/s/{rated_station.pk}/")

    expect(page.locator(".station__stars-icons")).to_have_text("★★★★☆")
    expect(page.locator(".station__stars-text")).to_have_text("4 星驿站")
    expect(page.locator(".photos__item img")).to_have_count(1)
    expect(page.locator("#station-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#station-map .leaflet-tooltip")).to_have_text("浔阳夜班驿站")
    expect(page.locator(".station__service-kind")).to_have_text(["义诊", "冰箱补给", "法律咨询"])
    expect(page.locator("#station-services")).to_contain_text("服务 42 人")
    expect(page.locator("main")).not_to_contain_text("建设方式")
    expect(page.locator("main")).not_to_contain_text("浔阳区总工会")
    screenshot(page, full_page=True)


def test_the_station_page_in_english(live_server, rated_station, make_page, screenshot):
    page = make_page(locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/s/{rated_station.pk}/")

    expect(page.locator(".station__stars-text")).to_have_text("4-star station")
    expect(page.locator(".station__service-kind")).to_have_text(
        ["Free health checks", "Free-drinks fridge refill", "Legal consultations"]
    )
    expect(page.locator("#station-services")).to_contain_text("42 people served")
    screenshot(page, full_page=True)


def test_open_state_agrees_with_the_api(live_server, night_station, page):
    station, _ = night_station
    page.goto(f"{live_server.url}/s/{station.pk}/")

    api = page.request.get(f"{live_server.url}/api/v1/stations/{station.pk}").json()
    expected = "营业中" if api["open_now"] else "休息中"
    expect(page.locator(".open-state__badge")).to_have_text(expected)
    expect(page.locator(".open-state__today")).to_contain_text("今日")


def test_a_station_opens_from_the_nearest_list(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")

    page.locator("#results .result", has_text="甘棠驿站").click()

    expect(page).to_have_url(f"{live_server.url}/s/{places['gantang'].pk}/")
    expect(page.locator(".station__name")).to_have_text("甘棠驿站")
    expect(page.locator(".open-state__badge")).to_have_text("营业中")
    expect(page.locator("table.hours tr").first).to_have_text("星期一24小时")
    screenshot(page)
    page.locator(".topbar__back").click()
    expect(page).to_have_url(live_server.url + "/")


def test_unknown_station_is_a_404_in_the_same_look(live_server, page, screenshot):
    response = page.goto(f"{live_server.url}/s/999999/")

    assert response.status == 404
    expect(page.locator(".weui-msg__title")).to_have_text("没有找到这个页面")
    expect(page.locator(".topbar .lang-switch")).to_be_visible()
    page.get_by_role("link", name="查看附近驿站").click()
    expect(page).to_have_url(live_server.url + "/")
    page.go_back()
    # Let the 404 page finish loading again before the screenshot (Chromium refuses to capture
    # a page still in navigation).
    expect(page.locator(".weui-msg__title")).to_have_text("没有找到这个页面")
    page.wait_for_load_state("load")
    screenshot(page)
