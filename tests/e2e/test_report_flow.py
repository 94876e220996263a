"""A worker reports a problem with a photo (seeing a nearby report first), staff fix it in the
console, and the worker confirms the fix."""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign, worker_register
from dandelion.orgs.services import organisation_create
from dandelion.regions.services import region_upsert
from dandelion.reports import services
from dandelion.reports.models import Report

pytestmark = pytest.mark.browser

PASSWORD = "report-flow-pass-2026"
DESKTOP = {"width": 1280, "height": 900}


def _jpeg() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (800, 600), (120, 98, 60))
    for x in range(0, 800, 80):
        image.paste((90, 70, 40), (x, 380, x + 50, 430))
    image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def world(jiujiang, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services.category_upsert(region=jiujiang["city"], code="garbage", name="暴露垃圾", icon="🗑")
    services.category_upsert(region=jiujiang["city"], code="manhole", name="井盖破损", icon="⚠")
    office = organisation_create(
        name="甘棠街道办事处", kind="street_office", region=jiujiang["street"]
    )
    services.routing_rule_set(region=jiujiang["xunyang"], category=None, organisation=office)
    handler = User(username="street_handler", display_name="街道经办人", is_staff=True)
    handler.set_password(PASSWORD)
    handler.save()
    role_assign(user=handler, role="department_handler", organisation=office)

    def worker(phone, name):
        user = User.objects.create(username=f"w{phone}", phone=phone, display_name=name)
        worker_register(
            user=user,
            changes={
                "occupation": "delivery_rider",
                "platform": "meituan",
                "work_region_code": jiujiang["street"].code,
                "accept_policy_version": django_settings.PRIVACY_POLICY_VERSION,
            },
        )
        return user

    neighbour = worker("13811110000", "邻居骑手")
    # Someone already reported garbage 20 m away: the form offers "me too" first.
    existing = services.report_create(
        reporter=neighbour,
        category_code="garbage",
        lat=29.72418,
        lng=115.9920,
        description="路口垃圾堆了两天",
        photos=[io.BytesIO(_jpeg())],
    )
    return {"worker": worker("13822220000", "骑手小王"), "handler": handler, "existing": existing}


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_worker_reports_staff_fix_and_the_worker_confirms(
    live_server, browser, make_page, screenshot, blocked_requests, world
):
    page = make_page()
    _signed_in(page, live_server, world["worker"])

    # The worker opens "report a problem"; the phone's position pins the map.
    page.goto(f"{live_server.url}/reports/new/")
    expect(page.locator("#pick-map")).to_have_attribute("data-pinned", "true")
    page.locator("#category").select_option("garbage")
    expect(page.locator("#duplicates")).to_be_visible()
    expect(page.locator("#duplicates-list .duplicate")).to_have_count(1)
    expect(page.locator("#duplicates-list")).to_contain_text("路口垃圾堆了两天")
    screenshot(page, "1-duplicate-offered", full_page=True)

    # Not the same pile: the worker describes theirs, and forgets the photo first.
    page.locator("#description").fill("小区东门垃圾桶倒了，垃圾撒了一地")
    page.locator("#address").fill("甘棠北路 8 号")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#photos-error")).to_contain_text("请至少拍一张照片")
    expect(page.locator("#description")).to_have_value("小区东门垃圾桶倒了，垃圾撒了一地")
    expect(page.locator("#category")).to_have_value("garbage")
    screenshot(page, "2-photo-missing", full_page=True)

    page.locator("#photos").set_input_files(
        {"name": "pile.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    expect(page.locator(".photo-picker__preview")).to_have_count(1)
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator(".report-toast")).to_contain_text("感谢你的随手拍")
    expect(page.locator("#report-status")).to_have_text("待分拣")
    screenshot(page, "3-submitted", full_page=True)

    report = Report.objects.exclude(pk=world["existing"].pk).get()
    assert report.reporter == world["worker"] and report.photos.count() == 1
    assert abs(report.lat - 29.7240) < 1e-4 and abs(report.lng - 115.9920) < 1e-4

    # The street office's handler signs in to the console and fixes it.
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    staff.route(
        "**/*",
        lambda route: (
            route.continue_()
            if "127.0.0.1" in route.request.url or "localhost" in route.request.url
            else route.abort()
        ),
    )
    console = staff.new_page()
    console.set_default_timeout(10_000)
    console.goto(f"{live_server.url}/console/reports/")
    console.locator("input[name=username]").fill("street_handler")
    console.locator("input[name=password]").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    row = console.locator(f'tr[data-report="{report.pk}"]')
    expect(row).to_be_visible()
    screenshot(console, "4-console-queue")
    row.get_by_role("link", name="暴露垃圾").click()
    expect(console.locator("#photo-viewer-image")).to_be_visible()
    console.locator("#status").select_option("fixed")
    console.locator("#status-note").fill("已安排保洁员清理干净")
    console.get_by_role("button", name="更新").click()
    expect(console.locator("#report-status")).to_have_text("已修复")
    expect(console.locator("#report-events")).to_contain_text("已安排保洁员清理干净")
    screenshot(console, "5-console-fixed", full_page=True)
    staff.close()

    # The worker sees the update and confirms the fix.
    page.goto(f"{live_server.url}/reports/mine/")
    expect(page.locator(f'[data-report="{report.pk}"]')).to_contain_text("已修复")
    page.locator(f'[data-report="{report.pk}"]').click()
    expect(page.locator("#updates")).to_contain_text("已安排保洁员清理干净")
    screenshot(page, "6-fixed-to-confirm", full_page=True)
    page.locator("#confirm-fixed").click()
    expect(page.locator("#report-status")).to_have_text("已办结")
    # Closed; within 14 days of the fix the worker could still reopen it.
    expect(page.locator("#confirm-fixed")).to_have_count(0)
    expect(page.locator("#reopen-note")).to_be_visible()
    screenshot(page, "7-confirmed", full_page=True)

    report.refresh_from_db()
    assert report.status == "closed"

    # The public map shows both reports, and the filters narrow them; no reporter anywhere.
    public = make_page()
    public.goto(f"{live_server.url}/reports/map/")
    expect(public.locator(".reports-map__row")).to_have_count(2)
    public.locator("#filter-state").select_option("closed")
    expect(public.locator(".reports-map__row")).to_have_count(1)
    expect(public.locator("#report-list")).to_contain_text("已办结")
    expect(public.locator("#reports-map path.leaflet-interactive")).to_have_count(1)
    assert "骑手小王" not in public.content() and "13822220000" not in public.content()
    screenshot(public, "8-public-map")
    assert blocked_requests == []


def test_the_form_offers_the_categories_of_the_place_pinned(
    live_server, make_page, screenshot, blocked_requests, world, jiujiang
):
    # 湓浦街道, west of 甘棠街道, is the only street where a broken river railing is reported.
    penpu = region_upsert(
        code="360403002",
        name="湓浦街道",
        parent=jiujiang["xunyang"],
        center_lat=29.7250,
        center_lng=115.9850,
    )
    services.category_upsert(region=penpu, code="railing", name="江堤护栏损坏")
    page = make_page()
    _signed_in(page, live_server, world["worker"])
    page.goto(f"{live_server.url}/reports/new/")
    expect(page.locator("#pick-map")).to_have_attribute("data-pinned", "true")
    railing = page.locator('#category option[value="railing"]')
    expect(railing).to_have_count(0)

    # The map is centred on the phone's position in 甘棠街道 at zoom 16 (about 2 m a pixel):
    # 160 px west is about 330 m west, nearer 湓浦街道's centre than 甘棠街道's.
    box = page.locator("#pick-map").bounding_box()
    west = {"x": box["width"] / 2 - 160, "y": box["height"] / 2}
    here = {"x": box["width"] / 2 + 40, "y": box["height"] / 2}
    page.locator("#pick-map").click(position=west)
    expect(railing).to_have_count(1)
    page.locator("#category").select_option("railing")
    page.locator("#description").fill("江边护栏断了一截，晚上骑车很危险")

    # Pinned back in 甘棠街道: the category is gone and the form says so; the text stays.
    page.locator("#pick-map").click(position=here)
    expect(railing).to_have_count(0)
    expect(page.locator("#category-error")).to_contain_text("所选类别不适用于标出的位置")
    expect(page.locator("#description")).to_have_value("江边护栏断了一截，晚上骑车很危险")
    screenshot(page, "1-category-not-here", full_page=True)

    # Pinned in 湓浦街道 again, the choice comes back by itself.
    page.locator("#pick-map").click(position=west)
    expect(page.locator("#category")).to_have_value("railing")
    expect(page.locator("#category-error")).to_have_count(0)
    screenshot(page, "2-category-back", full_page=True)
    assert blocked_requests == []


def test_the_public_map_opens_framed_on_every_report(
    live_server, make_page, screenshot, blocked_requests, world, settings
):
    """Thirteen reports spread over about 8 km of the city: the public map opens showing all of
    them (it once opened on one), and then lists what the moved map shows."""
    settings.SUBMISSION_RATES = "100000/60"
    neighbour = world["existing"].reporter
    for i in range(12):
        services.report_create(
            reporter=neighbour,
            category_code="manhole" if i % 2 else "garbage",
            lat=29.690 + 0.006 * i,
            lng=115.960 + 0.005 * (i % 5),
            description=f"第{i}处",
            photos=[io.BytesIO(_jpeg())],
        )
    public = make_page()

    def box_loaded():  # the list's request for the box the map shows, after each move
        return public.expect_response(lambda r: "/api/v1/reports" in r.url and "bbox=" in r.url)

    with box_loaded():
        public.goto(f"{live_server.url}/reports/map/")
    expect(public.locator(".reports-map__row")).to_have_count(13)
    expect(public.locator("#reports-map path.leaflet-interactive")).to_have_count(13)
    screenshot(public, "1-all-reports")
    for _ in range(2):
        with box_loaded():
            public.locator(".leaflet-control-zoom-in").click()
    screenshot(public, "2-zoomed")
    expect(public.locator(".reports-map__row")).not_to_have_count(13)
    assert blocked_requests == []


def test_a_report_made_without_a_network_is_sent_once_when_it_returns(
    live_server, make_page, screenshot, blocked_requests, world, make_station
):
    """In a lift with no signal: the report is kept on the phone and shown as waiting, the
    pages opened before (and the last nearby list) still open, and when the signal returns the
    report is sent, once."""
    make_station(name="甘棠驿站", lat=29.7243, lng=115.9918)
    page = make_page()
    _signed_in(page, live_server, world["worker"])
    page.goto(f"{live_server.url}/me/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(f"{live_server.url}/me/")  # now through the worker, which keeps a copy
    page.goto(f"{live_server.url}/")
    expect(page.locator("#results .result")).to_have_count(1)
    page.goto(f"{live_server.url}/reports/new/")
    expect(page.locator("#pick-map")).to_have_attribute("data-pinned", "true")
    page.locator("#category").select_option("manhole")
    page.locator("#description").fill("地下车库入口井盖松了")
    page.locator("#photos").set_input_files(
        {"name": "lid.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    before = Report.objects.count()

    page.context.set_offline(True)
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".outbox__note")).to_contain_text("已保存在手机上")
    expect(page.locator(".outbox__count")).to_have_text("1 条待发送")
    expect(page.locator(".outbox__item")).to_contain_text("随手拍")
    screenshot(page, "1-kept-offline", full_page=True)
    assert Report.objects.count() == before

    # Offline, the map shows the last nearby list, and 我的 opens from the copy kept, still
    # counting what is waiting.
    page.goto(f"{live_server.url}/")
    expect(page.locator("#results .result")).to_contain_text("甘棠驿站")
    screenshot(page, "2-map-offline")
    page.goto(f"{live_server.url}/me/")
    expect(page.locator(".me__name")).to_have_text("骑手小王")
    expect(page.locator(".outbox__count")).to_have_text("1 条待发送")
    screenshot(page, "2-me-offline", full_page=True)

    page.context.set_offline(False)
    expect(page.locator(".outbox__note")).to_contain_text("已发送")
    expect(page.locator(".outbox__count")).to_have_count(0)
    screenshot(page, "3-sent", full_page=True)
    made = Report.objects.exclude(pk__lte=0).filter(description="地下车库入口井盖松了")
    assert made.count() == 1 and made.get().photos.count() == 1
    page.reload()
    expect(page.locator(".me__name")).to_have_text("骑手小王")
    assert made.count() == 1 and Report.objects.count() == before + 1
    assert blocked_requests == []
