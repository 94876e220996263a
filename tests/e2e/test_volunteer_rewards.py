"""A volunteer signs up for an activity, records a visit (打卡) and arrives (签到) and leaves
(签退) by scanning the station's QR code, sees the confirmed hours and the points they earned,
redeems a reward, and the station's manager fulfils it in the console."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign, worker_register
from dandelion.orgs.models import Membership
from dandelion.orgs.services import membership_add, organisation_create
from dandelion.points.models import EarningRule, Redemption, Reward
from dandelion.points.services import issuer_fund
from dandelion.stations.models import StationVisit
from dandelion.volunteering.models import Attendance
from dandelion.volunteering.services import activity_create, activity_publish, attendance_confirm

pytestmark = pytest.mark.browser


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


def test_volunteer_earns_hours_and_points_and_redeems_a_reward(
    live_server, jiujiang, places, make_page, screenshot, blocked_requests
):
    station = places["gantang"]
    xunyang = jiujiang["xunyang"]
    admin = User.objects.create(username="root", is_superuser=True, is_staff=True)
    issuer_fund(region=xunyang, amount=10_000, actor=admin, source_key="fund:e2e")
    EarningRule.objects.create(region=xunyang, event="volunteer_hour", points=10, daily_cap=100)
    # As in the demo, a visit earns only when the phone's location puts the worker there.
    EarningRule.objects.create(
        region=xunyang, event="station_visit", points=5, daily_cap=5, requires_verified=True
    )
    team = organisation_create(
        name="甘棠骑手志愿队", kind="volunteer_team", region=jiujiang["street"]
    )
    leader = User.objects.create(username="leader", display_name="队长")
    membership_add(organisation=team, user=leader, role=Membership.Role.LEADER)
    manager = User(username="gantang_manager", display_name="甘棠站长")
    manager.set_password("station-pass-2026")
    manager.save()
    role_assign(user=manager, role="station_manager", station=station, actor=admin)
    worker = User.objects.create(username="w1", phone="13912345678", display_name="小李")
    worker_register(
        user=worker,
        changes={
            "occupation": "delivery_rider",
            "platform": "meituan",
            "work_region_code": jiujiang["street"].code,
            "is_volunteer": True,
            "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
        },
    )
    start = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    activity = activity_create(
        actor=leader,
        organisation=team,
        title="驿站清洁日",
        description="打扫驿站，整理书报",
        station=station,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
        points_per_hour=12,
    )
    activity_publish(actor=leader, activity=activity)
    Reward.objects.create(
        title="矿泉水一箱",
        kind="drink",
        station=station,
        region=station.region,
        city_code=station.city_code,
        price=15,
        stock=3,
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=30),
    )

    dear = Reward.objects.create(
        title="头盔一顶",
        kind="daily_goods",
        station=station,
        region=station.region,
        city_code=station.city_code,
        price=100,
        stock=3,
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=30),
    )

    # The phone is at the station, and lets the page read its location.
    page = make_page(geolocation={"latitude": station.lat, "longitude": station.lng})
    _signed_in(page, live_server, worker)

    # The activity feed: the new activity is there; sign up.
    page.goto(f"{live_server.url}/volunteer/")
    card = page.locator(".vol-card", has_text="驿站清洁日")
    expect(card).to_contain_text("甘棠驿站")
    # The phone is at the station: metres, not metres read as kilometres.
    expect(card).to_contain_text(re.compile(r"· \d+ 米"))
    expect(card).not_to_contain_text("公里")
    screenshot(page, "1-feed")
    card.click()
    page.locator(".vol-signup").click()
    expect(page.locator(".flash")).to_contain_text("报名成功")
    expect(page.locator(".vol-mine")).to_contain_text("你已报名")
    screenshot(page, "2-signed-up")

    # Twenty minutes before the start the volunteer scans the station's QR code.
    with time_machine.travel(start - timedelta(minutes=20)):
        page.goto(f"{live_server.url}/v/{station.visit_code}")
        expect(page.locator(".station-visit__name")).to_have_text("甘棠驿站")
        page.locator(".station-visit__go").click()
        expect(page.locator(".flash")).to_contain_text("打卡成功")
        page.locator(".activity-arrive").click()
        expect(page.locator(".flash")).to_contain_text("签到成功")
        screenshot(page, "3-arrived")
    # Ninety minutes into the activity they scan again and leave.
    with time_machine.travel(start + timedelta(minutes=90)):
        page.goto(f"{live_server.url}/v/{station.visit_code}")
        page.locator(".activity-leave").click()
        expect(page.locator(".flash")).to_contain_text("签退成功")
        screenshot(page, "4-left")

    assert StationVisit.objects.get(user=worker).verified  # the page sent the location
    attendance = Attendance.objects.get(activity=activity, user=worker)
    assert attendance.computed_minutes == 90
    attendance_confirm(actor=leader, attendance_id=attendance.pk)  # the organiser confirms

    page.goto(f"{live_server.url}/volunteer/hours/")
    expect(page.get_by_test_id("total-hours")).to_have_text("1.5")
    expect(page.locator(".vol-hours-row")).to_contain_text("驿站清洁日")
    screenshot(page, "5-hours")
    # 1.5 hours × 12 points, and 5 for the station visit.
    page.goto(f"{live_server.url}/points/")
    expect(page.get_by_test_id("balance")).to_have_text("23")
    expect(page.locator(".pts-history")).to_contain_text("志愿服务 · 驿站清洁日")
    screenshot(page, "6-points", full_page=True)

    # A reward beyond the balance: the button is off and says what is missing, before any tap;
    # the pickup place reads on one line beside its label, with navigation.
    page.goto(f"{live_server.url}/rewards/{dear.pk}/")
    expect(page.locator(".redeem-button")).to_be_disabled()
    expect(page.locator(".redeem-short")).to_contain_text("还差 77 积分")
    label = page.locator(".pts-place__label").bounding_box()
    value = page.locator(".pts-place__value").bounding_box()
    assert label["width"] > label["height"] and label["x"] + label["width"] <= value["x"]
    expect(page.locator(".nav-buttons")).to_be_visible()
    screenshot(page, "7-not-enough-points", full_page=True)

    # The rewards shop: redeem a case of water.
    page.goto(f"{live_server.url}/rewards/")
    screenshot(page, "7-shop")
    page.locator(".pts-item", has_text="矿泉水一箱").click()
    page.locator(".redeem-button").click()
    expect(page.locator(".flash")).to_contain_text("兑换成功")
    code = page.get_by_test_id("code").inner_text().strip()
    assert Redemption.objects.get(code=code).status == "issued"
    expect(page.locator(".pts-code__qr svg")).to_be_visible()
    screenshot(page, "8-code")

    # The station manager signs in to the console and fulfils the code.
    staff = make_page()
    staff.set_viewport_size({"width": 1200, "height": 800})
    staff.goto(f"{live_server.url}/console/points/fulfil/")
    staff.locator("input[name=username]").fill("gantang_manager")
    staff.locator("input[name=password]").fill("station-pass-2026")
    staff.get_by_role("button", name="登录").click()
    staff.locator("#fulfil-code").fill(code.lower())
    staff.get_by_role("button", name="查询").click()
    expect(staff.locator(".fulfil-found")).to_contain_text("矿泉水一箱")
    screenshot(staff, "9-console-preview")
    staff.locator(".fulfil-confirm").click()
    expect(staff.locator(".console-message")).to_contain_text("核销成功")
    screenshot(staff, "10-console-fulfilled")

    page.reload()
    expect(page.locator(".redemption-status")).to_have_text("已领取")
    page.goto(f"{live_server.url}/points/")
    expect(page.get_by_test_id("balance")).to_have_text("8")
    screenshot(page, "11-after")
    assert Reward.objects.get(title="矿泉水一箱").stock == 2
    assert blocked_requests == []
