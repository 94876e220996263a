"""The worker's pages in English (issue 17): the services hub, a report's timeline, the
volunteer feed's dates and skills, and the points history read without Chinese where the
platform writes the words (names people gave — stations, activities, organisations — stay as
given)."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import worker_register
from dandelion.orgs.models import Membership
from dandelion.orgs.services import membership_add, organisation_create
from dandelion.points.models import EarningRule
from dandelion.points.services import award_by_rule, issuer_fund
from dandelion.reports import services as reports
from dandelion.volunteering.services import activity_create, activity_publish

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 98, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def _english(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )


def _no_chinese(locator) -> None:
    for text in locator.all_inner_texts():
        assert not CJK.search(text), text


def test_the_workers_pages_read_in_english(
    live_server, jiujiang, places, make_page, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    station = places["gantang"]
    xunyang, street = jiujiang["xunyang"], jiujiang["street"]
    admin = User.objects.create(username="root", is_superuser=True, is_staff=True)
    worker = User.objects.create(username="w1", phone="13912345678", display_name="Li")
    worker_register(
        user=worker,
        changes={
            "occupation": "delivery_rider",
            "platform": "meituan",
            "work_region_code": street.code,
            "is_volunteer": True,
            "accept_policy_version": django_settings.PRIVACY_POLICY_VERSION,
        },
    )
    # A report, taken up with a standard note and merged into an earlier one.
    reports.category_upsert(
        region=jiujiang["city"], code="garbage", name="暴露垃圾", name_en="Open garbage"
    )
    office = organisation_create(name="甘棠街道办事处", kind="street_office", region=street)
    reports.routing_rule_set(region=xunyang, category=None, organisation=office)
    dispatcher = User.objects.create(username="dispatcher", is_superuser=True)
    first, report = (
        reports.report_create(
            reporter=worker,
            category_code="garbage",
            lat=station.lat,
            lng=station.lng,
            description=text,
            photos=[_photo()],
        )
        for text in ("垃圾桶满了", "又满了")
    )
    reports.report_status_change(
        report_id=report.pk, actor=dispatcher, status="investigating", note="正在现场核查。"
    )
    reports.report_mark_duplicate(report_id=report.pk, original_id=first.pk, actor=dispatcher)
    # An activity needing skills, tomorrow.
    team = organisation_create(name="甘棠骑手志愿队", kind="volunteer_team", region=street)
    leader = User.objects.create(username="leader", display_name="队长")
    membership_add(organisation=team, user=leader, role=Membership.Role.LEADER)
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0)
    activity = activity_create(
        actor=leader,
        organisation=team,
        title="电动车义务检修",
        description="为骑手检查刹车",
        station=station,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=5,
        points_per_hour=10,
        skills=["维修电动车", "急救"],
    )
    activity_publish(actor=leader, activity=activity)
    # Points for the report, as the points app writes them.
    issuer_fund(region=xunyang, amount=1_000, actor=admin, source_key="fund:e2e")
    EarningRule.objects.create(region=xunyang, event="report_accepted", points=20)
    award_by_rule(
        user=worker,
        event="report_accepted",
        region_code=street.code,
        source_key=f"report_accepted:{first.pk}",
        memo="随手拍被采纳",
    )

    page = make_page(locale="en-US")
    _english(page, live_server, worker)

    page.goto(f"{live_server.url}/services/")
    expect(page.locator(".services__tile").first).to_be_visible()
    _no_chinese(page.locator(".services__grid"))
    screenshot(page, "1-services")

    page.goto(f"{live_server.url}/reports/{report.pk}/")
    timeline = page.locator("#updates")
    expect(timeline).to_contain_text("Being checked on site.")
    expect(timeline).to_contain_text(f"Same problem as #{first.pk}")
    _no_chinese(timeline)
    timeline.scroll_into_view_if_needed()
    screenshot(page, "2-report-timeline")

    page.goto(f"{live_server.url}/volunteer/")
    card = page.locator(".vol-card", has_text="电动车义务检修")
    expect(card.locator(".vol-card__meta").first).to_contain_text(start.strftime("%b"))
    date_line = card.locator(".vol-card__meta").first.inner_text().split(" · ")[0]
    assert not CJK.search(date_line), date_line
    expect(card.locator(".vol-card__skills")).to_have_text(re.compile("E-bike repair.*First aid"))
    _no_chinese(card.locator(".vol-card__skills"))
    screenshot(page, "3-volunteer-feed")

    page.goto(f"{live_server.url}/points/")
    history = page.locator(".pts-history")
    expect(history).to_contain_text("Snapshot report accepted")
    _no_chinese(history)
    screenshot(page, "4-points-history")
