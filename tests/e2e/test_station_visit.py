"""The station visit page (驿站打卡) sends the phone's location with the visit: a phone far
from the station is told how far it is and nothing is recorded; a phone that will not tell
records the visit unverified."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import worker_register
from dandelion.stations.models import StationVisit

pytestmark = pytest.mark.browser


def _worker(jiujiang) -> User:
    worker = User.objects.create(username="w1", phone="13912345678", display_name="小李")
    worker_register(
        user=worker,
        changes={
            "occupation": "delivery_rider",
            "platform": "meituan",
            "work_region_code": jiujiang["street"].code,
            "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
        },
    )
    return worker


def _signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_phone_far_from_the_station_is_refused(
    live_server, jiujiang, places, make_page, screenshot
):
    station = places["gantang"]
    page = make_page(geolocation={"latitude": station.lat + 0.03, "longitude": station.lng})
    _signed_in(page, live_server, _worker(jiujiang))

    page.goto(f"{live_server.url}/v/{station.visit_code}")
    page.locator(".station-visit__go").click()

    expect(page.locator(".station-visit__error")).to_contain_text("300 米以内")
    screenshot(page, "refused")
    assert not StationVisit.objects.exists()


def test_a_phone_that_will_not_tell_records_an_unverified_visit(
    live_server, jiujiang, places, make_page
):
    station = places["gantang"]
    page = make_page(geolocation=None)
    worker = _worker(jiujiang)
    _signed_in(page, live_server, worker)

    page.goto(f"{live_server.url}/v/{station.visit_code}")
    expect(page.locator(".station-visit__where")).to_contain_text("未核验")
    page.locator(".station-visit__go").click()

    expect(page.locator(".flash")).to_contain_text("打卡成功")
    assert not StationVisit.objects.get(user=worker).verified


def test_an_old_poster_says_it_is_out_of_date(live_server, places, make_page, screenshot):
    page = make_page()

    response = page.goto(f"{live_server.url}/s/{places['gantang'].uuid}/checkin")

    assert response.status == 410
    expect(page.locator(".poster-out-of-date")).to_contain_text("这张打卡海报已过期")
    screenshot(page)
