"""A region admin opens the coverage map (服务圈覆盖): communities shaded by share, the gap
cells, the stations; moves the "open at" slider; then asks where to build three new stations
and sees them on the map with their gains, and the community table sorted by uncovered people."""

import h3
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign
from dandelion.coverage.models import DemandCount
from dandelion.regions.services import region_shape_set, region_upsert

pytestmark = pytest.mark.browser
PASSWORD = "coverage-pass-2026"


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_region_admin_sees_coverage_and_runs_a_siting(
    live_server, jiujiang, places, make_page, screenshot
):
    street = jiujiang["street"]
    region_shape_set(
        region=jiujiang["community"],
        boundary=box(115.980, 29.716, 115.992, 29.728),
        population=6000,
    )
    for n, west in enumerate((115.992, 116.004), start=2):
        community = region_upsert(code=f"36040300100{n}", name=f"滨江{n}社区", parent=street)
        region_shape_set(
            region=community, boundary=box(west, 29.716, west + 0.012, 29.728), population=4000 * n
        )
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    admin = User(username="xunyang_planner", display_name="浔阳规划", is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    role_assign(user=admin, role="region_admin", region=jiujiang["xunyang"], actor=root)

    page = make_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/console/login/?next=/console/coverage/")
    page.locator("input[name=username]").fill("xunyang_planner")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.locator('[data-section="coverage_map"]')).to_be_visible()
    expect(page.get_by_test_id("coverage-summary")).to_contain_text("覆盖率")
    expect(page.locator("#coverage-map .leaflet-interactive").first).to_be_attached()
    assert page.locator("path.coverage-gap").count() > 0
    screenshot(page, "1-map", full_page=True)

    page.get_by_test_id("at-hour").fill("3")  # 03:00: the daytime stations are closed
    page.get_by_test_id("at-hour").dispatch_event("change")
    page.wait_for_url("**at_hour=3**")
    expect(page.locator("#at-hour-label")).to_contain_text("03:00")

    page.get_by_test_id("siting-add").fill("3")
    page.get_by_test_id("siting-run").click()
    result = page.get_by_test_id("siting-result")
    expect(result).to_contain_text("覆盖人口")
    expect(page.locator("#siting-sites tbody tr")).to_have_count(3)
    expect(page.locator(".coverage-site")).to_have_count(3)
    screenshot(page, "2-siting", full_page=True)

    # Where workers actually search: a busy cell in the uncovered east.
    hot = h3.latlng_to_cell(29.722, 116.010, 8)
    DemandCount.objects.create(
        day=timezone.localdate(), cell=hot, cell_r5=h3.cell_to_parent(hot, 5), count=60
    )
    page.locator("#id_weight").select_option("demand")
    page.get_by_test_id("siting-run").click()
    expect(page.get_by_test_id("siting-result")).to_contain_text("按找驿站需求")
    screenshot(page, "3-demand", full_page=True)
    expect(page.locator("path.coverage-demand")).to_have_count(1)

    page.get_by_test_id("communities-tab").click()
    page.get_by_test_id("sort-uncovered").click()
    expect(page.locator("#coverage-communities tbody tr")).to_have_count(3)
    screenshot(page, "4-table", full_page=True)
