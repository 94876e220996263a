"""The worker's own pages: sign in with a code, register, my profile, join by code, privacy."""

import pytest
from django.test import Client

from dandelion.accounts.models import WorkerProfile
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.accounts.testing import client_for, last_code
from dandelion.orgs import codes
from dandelion.orgs.models import Membership, PartyMembership
from dandelion.orgs.testing import *  # noqa: F403

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def send(client, phone=PHONE, **extra):
    return client.post("/login/", {"action": "send", "phone": phone, **extra})


def test_pages_that_need_sign_in_redirect_to_login_with_next():
    client = Client()
    for path in ("/me/", "/register/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={path.replace('/', '%2F')}"


def test_new_worker_signs_in_and_is_sent_to_register(jiujiang):
    client = Client()
    page = send(client, next="/me/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert PHONE in page.content.decode()

    wrong = client.post("/login/", {"action": "login", "phone": PHONE, "code": "000000"})
    text = wrong.content.decode()
    assert "验证码不正确" in text and f'value="{PHONE}"' in text

    response = client.post(
        "/login/", {"action": "login", "phone": PHONE, "code": last_code(PHONE), "next": "/me/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/register/?next=%2Fme%2F"


def test_bad_phone_is_shown_inline_and_kept():
    response = send(Client(), phone="12345")
    text = response.content.decode()
    assert "请输入正确的手机号" in text and 'value="12345"' in text


def test_sending_again_too_soon_shows_the_wait():
    client = Client()
    send(client)
    response = send(client)
    assert response.status_code == 429
    text = response.content.decode()
    assert "秒后再试" in text and 'data-wait="' in text


def test_next_outside_the_site_is_ignored(jiujiang, make_worker):
    worker = make_worker(phone=PHONE)
    client = Client()
    send(client)
    response = client.post(
        "/login/",
        {"action": "login", "phone": PHONE, "code": last_code(PHONE), "next": "https://evil.test/"},
    )
    assert response["Location"] == "/me/"
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_registration_keeps_input_on_errors_and_then_saves(jiujiang, make_user, settings):
    user = make_user(phone=PHONE)
    client = client_for(user)
    form = client.get("/register/")
    assert "甘棠街道" in form.content.decode()
    assert settings.PRIVACY_POLICY_VERSION in form.content.decode()

    data = {
        "occupation": "courier",
        "platform": "other",
        "platform_other": "闪送",
        "work_region_code": jiujiang["street"].code,
        "is_volunteer": "on",
        "skills": ["急救"],
        "real_name": "张三",
        "next": "/me/",
    }
    refused = client.post("/register/", data)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "请阅读并同意隐私政策" in text
    assert 'value="courier" selected' in text and 'value="闪送"' in text and "张三" in text
    assert not WorkerProfile.objects.filter(user=user).exists()

    done = client.post(
        "/register/", {**data, "accept_policy_version": settings.PRIVACY_POLICY_VERSION}
    )
    assert done.status_code == 302 and done["Location"] == "/me/"
    profile = WorkerProfile.objects.get(user=user)
    assert (profile.platform_other, profile.skills, profile.real_name) == ("闪送", ["急救"], "张三")


def test_a_registered_worker_edits_their_profile_on_the_same_form(jiujiang, make_user, settings):
    """Given a worker who signed in (shown as the placeholder 用户5678) and registered with a real
    name, the header calls them by that name; /register/ then edits what they registered,
    keeping input on a mistake, and saving leaves consent as it was."""
    user = make_user(phone=PHONE, name="用户5678")
    client = client_for(user)
    client.post(
        "/register/",
        {
            "occupation": "courier",
            "platform": "sf_express",
            "work_region_code": jiujiang["street"].code,
            "real_name": "张三",
            "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
        },
    )
    me = client.get("/me/").content.decode()
    assert "张三" in me.split('class="me__name"')[1][:40] and "用户5678" not in me
    assert 'class="me__points-num">0<' in me and 'href="/register/"' in me

    form = client.get("/register/")
    assert form.status_code == 200
    text = form.content.decode()
    assert "修改报到信息" in text and 'value="courier" selected' in text
    assert 'name="accept_policy_version"' not in text

    base = {"occupation": "delivery_rider", "platform": "sf_express", "real_name": "张三"}
    refused = client.post("/register/", {**base, "work_region_code": ""})
    assert (
        refused.status_code == 422 and 'value="delivery_rider" selected' in refused.content.decode()
    )
    assert "此项为必填项" in refused.content.decode()
    saved = client.post("/register/", {**base, "work_region_code": jiujiang["street"].code})
    assert saved.status_code == 302 and saved["Location"] == "/me/"
    profile = WorkerProfile.objects.get(user=user)
    assert profile.occupation == "delivery_rider"
    assert profile.consent_policy_version == settings.PRIVACY_POLICY_VERSION
    assert "资料已保存" in client.get("/me/").content.decode()


def test_my_page_masks_the_phone_and_lists_memberships(world):
    page = client_for(world.worker_x).get("/me/").content.decode()
    assert "138****0001" in page and "13800000001" not in page
    assert "甘棠骑手志愿队" in page and "待审核" in page
    assert "甘棠骑手党支部" in page
    assert "/api/v1/me/export" in page and "退出登录" in page


def test_join_page_previews_requests_and_shows_pending(world):
    code = codes.code_make(organisation=world.team_x).code
    anonymous = Client().get("/join/", {"code": code}).content.decode()
    assert "甘棠骑手志愿队" in anonymous and "登录后申请" in anonymous

    worker = world.worker_l
    client = client_for(worker)
    assert "申请加入" in client.get("/join/", {"code": code}).content.decode()
    response = client.post("/join/", {"code": code})
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=world.team_x, user=worker)
    assert membership.status == "pending"
    assert "等待审核" in client.get(response["Location"]).content.decode()


def test_return_to_team_at_a_branch(world):
    code = codes.code_make(organisation=world.branch_x).code
    client = client_for(world.outsider)
    assert "申报归队" in client.get("/join/", {"code": code}).content.decode()
    response = client.post("/join/", {"code": code, "status": "probationary", "is_mobile": "on"})
    assert response.status_code == 302
    declared = PartyMembership.objects.get(user=world.outsider)
    assert (declared.branch, declared.status, declared.is_mobile, declared.state) == (
        world.branch_x,
        "probationary",
        True,
        "pending",
    )


def test_bad_code_says_why():
    response = Client().get("/join/", {"code": "nonsense"})
    assert response.status_code == 400
    assert "二维码无效" in response.content.decode()


def test_privacy_page_states_the_version(settings):
    page = Client().get("/privacy/").content.decode()
    assert settings.PRIVACY_POLICY_VERSION in page


def test_logout(world):
    client = client_for(world.worker_x)
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/me/").status_code == 302


def test_login_page_in_english_keeps_the_wait_placeholder():
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in with your phone" in page
    assert 'data-wait-label="New code in %s s"' in page
    assert 'data-wait-label="%s 秒后可重新获取"' in Client().get("/login/").content.decode()


def test_is_staff_alone_does_not_skip_registration(jiujiang, make_user):
    flagged = make_user(phone=PHONE, is_staff=True)
    client = Client()
    send(client)
    response = client.post(
        "/login/", {"action": "login", "phone": PHONE, "code": last_code(PHONE), "next": "/me/"}
    )
    assert client.session["_auth_user_id"] == str(flagged.pk)
    assert response["Location"] == "/register/?next=%2Fme%2F"


def test_staff_holding_a_role_go_straight_on(world):
    leader = world.leader_x
    leader.phone = PHONE
    leader.save(update_fields=["phone"])
    client = Client()
    send(client)
    response = client.post(
        "/login/", {"action": "login", "phone": PHONE, "code": last_code(PHONE), "next": "/me/"}
    )
    assert response["Location"] == "/me/"
