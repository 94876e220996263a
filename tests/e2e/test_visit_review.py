"""A region admin reviews the visits the travel check held (打卡复核) in the console: the queue
shows each with the worker's masked phone, the distance and the reason, and accepting one
takes it off the queue with a message on top."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign
from dandelion.stations.models import StationVisit

pytestmark = pytest.mark.browser
PASSWORD = "review-pass-2026"


def test_a_region_admin_accepts_a_held_visit(live_server, jiujiang, places, make_page, screenshot):
    gantang, driver_home = places["gantang"], places["driver_home"]
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    admin = User(username="xunyang_admin", display_name="浔阳管理员", is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    role_assign(user=admin, role="region_admin", region=jiujiang["xunyang"], actor=root)
    now = timezone.now().replace(microsecond=0)
    held = []
    for i, (station, distance) in enumerate([(gantang, 38), (driver_home, 112)]):
        worker = User.objects.create(
            username=f"w{i}", phone=f"1391234567{i}", display_name=f"骑手{i + 1}"
        )
        held.append(
            StationVisit.objects.create(
                user=worker,
                station=station,
                day=timezone.localdate(now),
                visited_at=now - timedelta(minutes=10 * i),
                city_code=station.city_code,
                verified=True,
                distance_m=distance,
                accuracy_m=15,
                flagged=True,
                flag_reason="与 湓浦骑手之家 的打卡相距 7.1 公里，只隔 1 秒，超过每小时 80 公里。",
            )
        )

    page = make_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/console/login/?next=/console/stations/visits/review/")
    page.locator("input[name=username]").fill("xunyang_admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    first = page.locator(f'[data-visit="{held[0].pk}"]')
    expect(first).to_contain_text("139****5670")
    expect(first).to_contain_text("甘棠驿站")
    expect(page.locator('[data-section="stations_visit_review"]')).to_be_visible()
    screenshot(page, "1-queue", full_page=True)

    first.locator('[data-action="accept"]').click()

    expect(page.locator(".console-message_success")).to_contain_text("甘棠驿站")
    expect(page.locator(f'[data-visit="{held[0].pk}"]')).to_have_count(0)
    expect(page.locator(f'[data-visit="{held[1].pk}"]')).to_be_visible()
    screenshot(page, "2-accepted", full_page=True)
    held[0].refresh_from_db()
    assert not held[0].flagged and held[0].reviewed_by == admin
