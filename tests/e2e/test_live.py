"""Live updates on an open page: a volunteer's page shows a wish recommended to them the moment
another worker posts it, and the tab bar's dot lights up, without reloading; a staff member's
console badge counts up the same way; where the stream is refused the page polls instead."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from dandelion.accounts.services import worker_profile_update, worker_register
from dandelion.needs.services import wish_create
from dandelion.notifications import live
from dandelion.notifications.services import live_queues_changed, notification_send

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _short_streams(settings):
    """Streams that end soon and beat often, and look at the database only when woken. Torn
    down after the pages close: waits until the server has noticed (at the next heartbeat) and
    ended every stream, so none reads the database after the test."""
    settings.LIVE_MAX_STREAMS = 12  # tests/e2e/conftest.py turns streams off elsewhere
    settings.LIVE_STREAM_SECONDS = 8
    settings.LIVE_HEARTBEAT_SECONDS = 0.5
    settings.LIVE_POLL_SECONDS = 60
    settings.LIVE_COUNTERS_SECONDS = 60
    settings.REDIS_URL = ""
    live.broker_reset()
    yield
    for _ in range(100):
        if live.slots.open == 0:
            break
        time.sleep(0.1)


def signed_in(page, live_server, user) -> None:
    """Give the browser a session of `user` (the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def registered(django_user_model, jiujiang, phone: str, name: str, *, volunteer: bool):
    user = django_user_model.objects.create(username=phone, phone=phone, display_name=name)
    worker_register(
        user=user,
        changes={
            "occupation": "delivery_rider",
            "platform": "meituan",
            "work_region_code": jiujiang["street"].code,
            "accept_policy_version": django_settings.PRIVACY_POLICY_VERSION,
        },
    )
    if volunteer:
        worker_profile_update(user=user, changes={"is_volunteer": True, "skills": ["急救"]})
    return user


def test_a_wish_posted_nearby_arrives_live_on_the_volunteers_open_page(
    live_server, jiujiang, django_user_model, page, screenshot, blocked_requests
):
    volunteer = registered(django_user_model, jiujiang, "13911110001", "志愿者小陈", volunteer=True)
    wisher = registered(django_user_model, jiujiang, "13911110002", "骑手老周", volunteer=False)
    signed_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/notifications/for-me/")
    expect(page.locator("html")).to_have_attribute("data-live", "stream")
    dot = page.locator("[data-live-unread=dot]")
    expect(dot).to_be_hidden()

    wish_create(worker=wisher, title="想要一个充电宝")

    notice = page.get_by_test_id("live-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("附近有新的微心愿：想要一个充电宝")
    expect(notice).to_contain_text("甘棠街道的一位劳动者许了这个心愿")
    expect(notice.get_by_role("link", name="查看")).to_have_attribute(
        "href", f"/wishes/{wisher.micro_wishes.get().pk}/"
    )
    expect(dot).to_be_visible()
    screenshot(page)
    # The page was never reloaded: the list still shows what it had when it opened.
    expect(page.get_by_test_id("inbox")).to_contain_text("暂无通知")
    assert blocked_requests == []


def test_the_console_badge_counts_up_live_and_a_refused_stream_falls_back_to_polling(
    live_server, django_user_model, make_page, screenshot, settings
):
    from dandelion.core import console

    staff = django_user_model.objects.create(username="dispatcher", display_name="派单员小李")
    waiting = {"n": 0}
    console.register_section(
        "tests_live_queue",
        label="测试队列",
        url_name="console:inbox",
        visible=lambda user: user.pk == staff.pk,
        badge=lambda user: waiting["n"],
    )
    try:
        page = make_page(locale="zh-CN")
        page.set_viewport_size({"width": 1280, "height": 720})
        signed_in(page, live_server, staff)
        page.goto(f"{live_server.url}/console/inbox/")
        expect(page.locator("html")).to_have_attribute("data-live", "stream")
        badge = page.get_by_test_id("unread-badge")
        expect(badge).to_be_hidden()
        for n in range(2):
            notification_send(
                recipients=[staff],
                kind="needs.waiting",
                params={"need_id": n, "item": "法律咨询", "region": "甘棠街道"},
            )
        expect(badge).to_have_text("2")
        expect(page.get_by_test_id("live-notice")).to_contain_text("新诉求待派单：#1 法律咨询")
        # A queue that changed without notifying anyone: its section's badge follows.
        waiting["n"] = 4
        live_queues_changed()
        expect(page.locator('[data-section="tests_live_queue"] .console-badge')).to_have_text("4")
        screenshot(page, "console")

        # A process with no stream to spare answers 503: the page polls the badges instead.
        settings.LIVE_MAX_STREAMS = 0
        polled = make_page()
        signed_in(polled, live_server, staff)
        with polled.expect_response("**/api/v1/notifications/live") as answer:
            polled.goto(f"{live_server.url}/console/inbox/")
        assert answer.value.status == 200
        expect(polled.locator("html")).to_have_attribute("data-live", "polling")
        expect(polled.get_by_test_id("unread-badge")).to_have_text("2")
    finally:
        console._sections.pop("tests_live_queue", None)
