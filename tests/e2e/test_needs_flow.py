"""小哥点单、政府派单、部门接单、小哥评单: a worker orders from the menu, the dispatcher
dispatches, the department's handler accepts and resolves in the console, the worker rates."""

import re

import pytest
from playwright.sync_api import expect

from dandelion.accounts import sms
from dandelion.accounts.services import role_assign, worker_register
from dandelion.catalog.services import category_upsert, item_create
from dandelion.needs.models import Need, NeedEvent
from dandelion.orgs.services import organisation_create

STAFF_PASSWORD = "test-pass-2026"


def worker_sign_in(page, base_url: str, phone: str, next_path: str) -> None:
    page.goto(f"{base_url}/login/?next={next_path}")
    page.get_by_placeholder("请输入手机号").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".login-form__sent")).to_contain_text(phone)
    code = next(m.params["code"] for m in reversed(sms.outbox) if m.phone == phone)
    page.locator("#code").fill(code)
    page.get_by_role("button", name="登录", exact=True).click()


def staff_sign_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/console/login/?next={next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()


def staff(django_user_model, username: str, name: str):
    user = django_user_model(username=username, display_name=name, is_staff=True)
    user.set_password(STAFF_PASSWORD)
    user.save()
    return user


pytestmark = pytest.mark.browser

PHONE = "13966667777"


@pytest.fixture(autouse=True)
def _sms_to_memory(settings):
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def setup(jiujiang, django_user_model, settings):
    legal, _ = category_upsert(code="legal", name="法律服务", icon="⚖")
    item_create(
        category=legal,
        code="labour_mediation",
        name="劳动争议调解",
        description="欠薪、工伤等劳动争议，一站式调解。",
        region=jiujiang["xunyang"],
        accept_hours=8,
        resolve_hours=120,
        questions=[
            {
                "key": "dispute",
                "label": "争议类型",
                "kind": "single",
                "required": True,
                "choices": [
                    {"value": "wages", "label": "拖欠工资"},
                    {"value": "injury", "label": "工伤"},
                ],
            },
            {"key": "amount", "label": "涉及金额（元）", "kind": "number"},
        ],
    )
    justice = organisation_create(
        name="浔阳区司法局", kind="government_department", region=jiujiang["xunyang"]
    )
    dispatcher = staff(django_user_model, "dispatcher", "浔阳区调度员")
    role_assign(user=dispatcher, role="dispatcher", region=jiujiang["xunyang"])
    handler = staff(django_user_model, "justice_handler", "司法局小王")
    role_assign(user=handler, role="department_handler", organisation=justice)
    worker = django_user_model.objects.create(username="w1", phone=PHONE, display_name="骑手小李")
    worker_register(
        user=worker,
        changes={
            "occupation": "delivery_rider",
            "platform": "meituan",
            "work_region_code": jiujiang["street"].code,
            "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
        },
    )
    return {"justice": justice, "worker": worker}


def test_worker_orders_dispatcher_dispatches_handler_resolves_worker_rates(
    live_server, setup, make_page, screenshot, blocked_requests
):
    base = live_server.url
    worker = make_page()

    # The worker signs in and orders from the menu.
    worker_sign_in(worker, base, PHONE, "/services/")
    expect(worker.locator('[data-entry="needs_menu"]')).to_be_visible()
    worker.locator('[data-entry="needs_menu"]').click()
    expect(worker.locator(".needs-menu__heading")).to_contain_text("法律服务")
    screenshot(worker, "1-menu", full_page=True)
    worker.locator('[data-item="labour_mediation"]').click()

    # The form: a boxed amount field, the same photo picker as the report form, and (with no
    # routing rule) a dispatcher named as the one who routes it.
    amount_border = worker.locator("#q_amount").evaluate(
        "el => getComputedStyle(el).borderTopWidth"
    )
    assert amount_border != "0px"
    expect(worker.locator(".photo-picker__add")).to_be_visible()
    expect(worker.locator(".need-form__route")).to_contain_text("由调度员派给负责的部门")

    # Submitting without the required answer and description keeps what was typed.
    worker.locator("#q_amount").fill("6800")
    worker.get_by_role("button", name="提交诉求").click()
    expect(worker.locator("#description-error")).to_be_visible()
    expect(worker.locator("#q_dispute-error")).to_contain_text("请回答这个问题")
    expect(worker.locator("#q_amount")).to_have_value("6800")
    screenshot(worker, "2-form-errors", full_page=True)
    worker.get_by_text("拖欠工资").click()
    worker.locator("#description").fill("站点拖欠我两个月工资，共 6800 元。")
    worker.get_by_role("button", name="提交诉求").click()
    expect(worker.locator('[data-testid="need-state"]')).to_have_text("待派单")
    need = Need.objects.get()
    screenshot(worker, "3-submitted", full_page=True)

    # The dispatcher sends it to the justice bureau.
    console = make_page()
    staff_sign_in(console, base, "dispatcher", "/console/needs/")
    row = console.locator(f'[data-need="{need.pk}"]')
    expect(row).to_contain_text("劳动争议调解")
    screenshot(console, "4-dispatch-queue")
    row.locator("a").first.click()
    expect(console.locator('[data-action="accept"]')).to_have_count(0)
    console.locator("#department_id").select_option(label="浔阳区司法局")
    console.locator('[data-action="dispatch"] button').click()
    expect(console.locator('[data-testid="need-state"]')).to_have_text("已派单")
    screenshot(console, "5-dispatched", full_page=True)

    # The bureau's handler accepts and resolves it in the console.
    handler = make_page()
    staff_sign_in(handler, base, "justice_handler", "/console/needs/department/")
    handler.locator(f'[data-need="{need.pk}"] a').first.click()
    expect(handler.locator('[data-action="dispatch"]')).to_have_count(0)
    handler.locator('[data-action="accept"] button').click()
    expect(handler.locator('[data-testid="need-state"]')).to_have_text("已接单")
    # To call the worker back, the handler reveals the phone (audited, and in the timeline).
    expect(handler.locator('[data-testid="need-worker"]')).to_contain_text("139****7777")
    handler.locator('[data-testid="reveal-phone"]').click()
    expect(handler.locator('[data-testid="worker-phone"]')).to_have_attribute(
        "href", f"tel:{PHONE}"
    )
    expect(handler.locator('.timeline [data-event="contact"]')).to_contain_text("浔阳区司法局")
    screenshot(handler, "5b-phone-revealed", full_page=True)
    handler.locator('[data-action="resolve"] button').click()
    expect(handler.locator('[data-action="resolve"] .console-field__error')).to_be_visible()
    handler.locator("#resolve_note").fill("已约平台调解，工资于本周补发。")
    handler.locator('[data-action="resolve"] button').click()
    expect(handler.locator('[data-testid="need-state"]')).to_have_text("已办结")
    screenshot(handler, "6-resolved", full_page=True)

    # The worker sees the timeline by office and rates the service.
    worker.goto(f"{base}/needs/{need.pk}/")
    expect(worker.locator('[data-testid="need-state"]')).to_have_text("已办结")
    timeline = worker.locator(".need-timeline")
    expect(timeline).to_contain_text("浔阳区司法局")
    expect(timeline).not_to_contain_text("司法局小王")
    expect(timeline).not_to_contain_text("浔阳区调度员")
    worker.locator(".need-rate__star").nth(4).click()
    worker.get_by_text("响应及时").click()
    worker.locator("#comment").fill("很专业，谢谢！")
    screenshot(worker, "7-rating", full_page=True)
    worker.get_by_role("button", name="提交评价").click()
    expect(worker.locator('[data-testid="need-state"]')).to_have_text("已评价")
    expect(worker.locator('[data-testid="rating"]')).to_contain_text("很专业")
    screenshot(worker, "8-rated", full_page=True)

    need.refresh_from_db()
    assert need.state == "closed"
    assert list(NeedEvent.objects.filter(need=need).values_list("action", flat=True)) == [
        "submit",
        "dispatch",
        "accept",
        "contact",
        "resolve",
        "rate",
    ]
    assert re.search(r"/needs/\d+/$", worker.url)
    assert blocked_requests == []
