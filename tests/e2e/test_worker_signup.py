"""A new worker signs in with a code, checks in, and joins a volunteer team by its join link."""

import re

import pytest
from playwright.sync_api import expect

from dandelion.accounts import sms
from dandelion.orgs import codes
from dandelion.orgs.models import Membership
from dandelion.orgs.services import membership_add, membership_approve, organisation_create

pytestmark = pytest.mark.browser

PHONE = "13955556666"


@pytest.fixture(autouse=True)
def _sms_to_memory(settings):
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _code_sent_to(phone: str) -> str:
    return next(m.params["code"] for m in reversed(sms.outbox) if m.phone == phone)


def test_new_worker_signs_in_checks_in_and_joins_a_team(
    live_server, jiujiang, page, screenshot, blocked_requests, django_user_model
):
    team = organisation_create(
        name="甘棠骑手志愿队", kind="volunteer_team", region=jiujiang["street"]
    )
    leader = django_user_model.objects.create(username="leader", display_name="队长")
    membership_add(organisation=team, user=leader, role="leader")
    join_url = f"{live_server.url}/join/?code={codes.code_make(organisation=team).code}"

    # A new worker opens the team's join link, and is asked to sign in first.
    page.goto(join_url)
    expect(page.locator(".join__name")).to_have_text("甘棠骑手志愿队")
    screenshot(page, "1-join-preview")
    page.locator(".join__login").click()

    page.get_by_placeholder("请输入手机号").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".login-form__sent")).to_contain_text(PHONE)
    expect(page.locator(".login-form__resend")).to_be_disabled()
    page.locator("#code").fill("000000")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#code-error")).to_contain_text("验证码不正确")
    expect(page.locator("#phone")).to_have_value(PHONE)
    screenshot(page, "2-login-wrong-code")
    page.locator("#code").fill(_code_sent_to(PHONE))
    page.get_by_role("button", name="登录", exact=True).click()

    # First sign-in: the registration form, then back to the join page. Sent empty, every
    # required answer is marked; each mark goes as soon as that answer is given.
    expect(page).to_have_url(re.compile(r"/register/\?next=%2Fjoin%2F%3Fcode%3D"))
    page.get_by_role("button", name="提交报到").click()
    expect(page.locator("#occupation-error")).to_be_visible()
    expect(page.locator("#platform-error")).to_be_visible()
    page.locator("#occupation").select_option("delivery_rider")
    expect(page.locator("#occupation-error")).to_be_hidden()
    expect(
        page.locator("label.weui-cell_warn").filter(has=page.locator("#occupation"))
    ).to_have_count(0)
    expect(page.locator("#platform-error")).to_be_visible()
    page.locator("#real_name").fill("张三")
    page.locator("#platform").select_option("meituan")
    page.locator("#work_region_code").select_option(jiujiang["street"].code)
    page.locator(".weui-switch").first.check(force=True)
    page.get_by_text("急救").click()
    page.get_by_role("button", name="提交报到").click()
    expect(page.locator("#consent-error")).to_contain_text("请阅读并同意隐私政策")
    expect(page.locator("#occupation")).to_have_value("delivery_rider")
    screenshot(page, "3-registration-error", full_page=True)
    page.locator("#consent").check()
    page.get_by_role("button", name="提交报到").click()

    expect(page.locator(".join__name")).to_have_text("甘棠骑手志愿队")
    page.get_by_role("button", name="申请加入").click()
    expect(page.locator(".join__state")).to_contain_text("等待审核")
    screenshot(page, "4-join-pending")

    membership = Membership.objects.get(organisation=team, user__phone=PHONE)
    assert membership.status == "pending"
    membership_approve(membership=membership, actor=leader)

    page.goto(f"{live_server.url}/me/")
    expect(page.locator(".me__phone")).to_have_text("139****6666")
    expect(page.locator(".me__name")).to_have_text("张三")
    expect(page.locator(".me__points-num")).to_have_text("0")
    row = page.locator(".membership", has_text="甘棠骑手志愿队")
    expect(row.locator(".membership__status")).to_have_text("已加入")
    expect(page.locator(".me__profile")).to_contain_text("美团")
    screenshot(page, "5-me", full_page=True)

    # The profile stays editable: the same form, filled with what was registered.
    page.locator(".me__edit").click()
    expect(page.locator("#occupation")).to_have_value("delivery_rider")
    page.locator("#platform").select_option("eleme")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".me__profile")).to_contain_text("饿了么")
    expect(page.locator(".flash")).to_contain_text("资料已保存")
    screenshot(page, "6-profile-edited", full_page=True)
    assert blocked_requests == []
