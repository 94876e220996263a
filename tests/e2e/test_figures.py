"""A city's region admin opens the figures dashboard (工作数据), drills down from the city to a
district and on to a street, and downloads the street's workbook, which holds the numbers the
page shows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign
from dandelion.figures.services import figures_rebuild
from dandelion.stations.models import StationVisit

pytestmark = pytest.mark.browser
PASSWORD = "figures-pass-2026"


def test_a_city_admin_drills_into_a_street_and_downloads_the_workbook(
    live_server, jiujiang, places, make_page, screenshot
):
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    admin = User(username="city_admin", display_name="九江市管理员", is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    role_assign(user=admin, role="region_admin", region=jiujiang["city"], actor=root)
    now = timezone.now().replace(microsecond=0)
    for i in range(3):
        worker = User.objects.create(username=f"w{i}", phone=f"1391234567{i}")
        for station in (places["gantang"], places["rider_home"])[: i + 1 if i < 2 else 2]:
            StationVisit.objects.create(
                user=worker,
                station=station,
                day=timezone.localdate(now),
                visited_at=now - timedelta(minutes=i),
                city_code=station.city_code,
            )
    figures_rebuild()

    page = make_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/console/login/?next=/console/")
    page.locator("input[name=username]").fill("city_admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # The dashboard is the first section of a region admin's console.
    expect(page.locator(".console-card").first).to_have_attribute("data-section", "figures")
    page.locator('.console-card[data-section="figures"]').click()

    expect(page.get_by_test_id("region-name")).to_have_text("九江市")
    expect(page.locator('[data-tile="visits"] .figures-tile__value')).to_have_text("5")
    expect(page.locator("#chart-trend svg")).to_have_count(1)
    expect(page.locator("#chart-regions svg")).to_have_count(1)
    screenshot(page, "1-city", full_page=True)

    page.locator('[data-drill="360403"]').click()
    expect(page.get_by_test_id("region-name")).to_have_text("浔阳区")
    page.locator('[data-drill="360403001"]').click()
    expect(page.get_by_test_id("region-name")).to_have_text("甘棠街道")
    expect(page.locator(".figures-trail")).to_contain_text("九江市")
    expect(page.locator('[data-tile="stations"] .figures-tile__value')).to_have_text("2")
    expect(page.locator('[data-tile="visits"] .figures-tile__value')).to_have_text("5")
    screenshot(page, "2-street", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith("figures-360403001-")
    with open(download.path(), "rb") as file:
        book = load_workbook(file)
    overview = {row[1]: row[2] for row in book["总览"].iter_rows(min_row=2, values_only=True)}
    assert overview["打卡人次"] == 5
    assert overview["驿站总数"] == 2

    page.get_by_role("link", name="月度工作简报").click()
    page.locator("input[name=month]").fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_role("button", name="查看").click()
    expect(page.locator('[data-figure="visits.count"]')).to_contain_text("5")
    screenshot(page, "3-brief", full_page=True)


def test_open_data_withholds_a_communitys_small_counts(
    live_server, jiujiang, make_page, screenshot
):
    page = make_page()
    page.goto(f"{live_server.url}/open-data/?region=360403001")
    expect(page.get_by_test_id("region-name")).to_have_text("甘棠街道")
    page.locator('a[href*="region=360403001001"]').first.click()
    expect(page.get_by_test_id("region-name")).to_have_text("湓浦社区")
    expect(page.locator('[data-figure="workers.registered"]')).to_contain_text("不公开")
    screenshot(page, full_page=True)
