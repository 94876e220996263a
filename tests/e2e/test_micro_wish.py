"""A micro-wish from the wall to fulfilment: a worker makes a wish, a volunteer finds it on the
public wall (no identity shown) and pledges, the worker confirms it came true."""

import pytest
from playwright.sync_api import expect

from dandelion.accounts import sms
from dandelion.accounts.services import worker_register
from dandelion.needs.models import MicroWish, WishPledge

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

WISHER = "13977778888"
VOLUNTEER = "13988889999"


@pytest.fixture(autouse=True)
def _sms_to_memory(settings):
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def people(jiujiang, django_user_model, settings):
    made = {}
    for phone, name in ((WISHER, "快递员老周"), (VOLUNTEER, "志愿者小陈")):
        user = django_user_model.objects.create(username=phone, phone=phone, display_name=name)
        worker_register(
            user=user,
            changes={
                "occupation": "courier",
                "platform": "sf_express",
                "work_region_code": jiujiang["street"].code,
                "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
            },
        )
        made[phone] = user
    return made


def test_a_wish_from_the_wall_to_fulfilment(
    live_server, people, make_page, screenshot, blocked_requests
):
    base = live_server.url
    wisher = make_page()
    worker_sign_in(wisher, base, WISHER, "/wishes/new/")
    wisher.locator("#title").fill("孩")
    wisher.locator("#description").fill("开学了，想给孩子买一套文具和书包。")
    wisher.get_by_role("button", name="发布到心愿墙").click()
    expect(wisher.locator("#title-error")).to_be_visible()
    expect(wisher.locator("#description")).to_have_value("开学了，想给孩子买一套文具和书包。")
    wisher.locator("#title").fill("孩子想要一套新的学习用品")
    wisher.get_by_role("button", name="发布到心愿墙").click()
    expect(wisher.locator('[data-testid="wish-state"]')).to_have_text("待认领")
    wish = MicroWish.objects.get()

    # Anyone sees the wall; it shows the street, not the person.
    volunteer = make_page()
    volunteer.goto(f"{base}/wishes/")
    card = volunteer.locator(f'[data-wish="{wish.pk}"]')
    expect(card).to_contain_text("孩子想要一套新的学习用品")
    expect(card).to_contain_text("甘棠街道")
    expect(volunteer.locator("main")).not_to_contain_text("老周")
    screenshot(volunteer, "1-wall", full_page=True)
    card.click()
    volunteer.get_by_role("link", name="登录后认领").click()
    volunteer.get_by_placeholder("请输入手机号").fill(VOLUNTEER)
    volunteer.get_by_role("button", name="获取验证码").click()
    code = next(m.params["code"] for m in reversed(sms.outbox) if m.phone == VOLUNTEER)
    volunteer.locator("#code").fill(code)
    volunteer.get_by_role("button", name="登录", exact=True).click()
    expect(volunteer.get_by_role("button", name="我来认领")).to_be_visible()
    volunteer.get_by_text("爱心商户").click()
    volunteer.locator("#display_name").fill("老街爱心商铺")
    volunteer.locator("#message").fill("周末送到驿站")
    screenshot(volunteer, "2-pledge", full_page=True)
    volunteer.get_by_role("button", name="我来认领").click()
    expect(volunteer.locator('[data-testid="pledged-by"]')).to_contain_text("老街爱心商铺")
    volunteer.goto(f"{base}/wishes/")
    expect(volunteer.locator(f'[data-wish="{wish.pk}"]')).to_have_count(0)

    # The wisher confirms it came true.
    wisher.goto(f"{base}/wishes/{wish.pk}/")
    expect(wisher.locator('[data-testid="wish-state"]')).to_have_text("已认领")
    screenshot(wisher, "3-pledged", full_page=True)
    wisher.get_by_role("button", name="心愿已实现，确认").click()
    expect(wisher.locator('[data-testid="wish-state"]')).to_have_text("已实现")
    screenshot(wisher, "4-fulfilled", full_page=True)
    wish.refresh_from_db()
    assert wish.state == "fulfilled"
    assert WishPledge.objects.get().state == "fulfilled"
    assert blocked_requests == []


def test_a_region_reviews_wishes_before_the_wall_shows_them(
    live_server, people, make_page, screenshot, blocked_requests, jiujiang, django_user_model
):
    from dandelion.accounts.services import role_assign
    from dandelion.needs.models import WishReviewPolicy

    WishReviewPolicy.objects.create(region=jiujiang["xunyang"], review_required=True)
    reviewer = staff(django_user_model, "xunyang_dispatcher", "浔阳调度")
    role_assign(user=reviewer, role="dispatcher", region=jiujiang["xunyang"])
    base = live_server.url

    wisher = make_page()
    worker_sign_in(wisher, base, WISHER, "/wishes/new/")
    expect(wisher.locator(".wish-new__review")).to_be_visible()
    wisher.locator("#title").fill("想要一个新的头盔")
    wisher.get_by_role("button", name="提交审核").click()
    expect(wisher.locator('[data-testid="wish-state"]')).to_have_text("待审核")
    screenshot(wisher, "1-waiting", full_page=True)
    wish = MicroWish.objects.get()
    anyone = make_page()
    anyone.goto(f"{base}/wishes/")
    expect(anyone.locator(f'[data-wish="{wish.pk}"]')).to_have_count(0)

    console = make_page()
    staff_sign_in(console, base, "xunyang_dispatcher", "/console/needs/wishes/")
    row = console.locator(f'[data-wish="{wish.pk}"]')
    expect(row).to_contain_text("想要一个新的头盔")
    screenshot(console, "2-review-queue", full_page=True)
    row.get_by_role("button", name="通过").click()
    expect(console.locator(".console-empty")).to_be_visible()

    anyone.goto(f"{base}/wishes/")
    expect(anyone.locator(f'[data-wish="{wish.pk}"]')).to_contain_text("想要一个新的头盔")
    wisher.goto(f"{base}/me/notifications/")
    expect(wisher.locator("main")).to_contain_text("你的微心愿已上墙")
    screenshot(wisher, "3-told", full_page=True)
    assert blocked_requests == []
