"""Workers sign in with their phone: one-time codes, sessions, bearer tokens (issue 3)."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dandelion.accounts.models import ApiToken, PhoneCode, User
from dandelion.accounts.testing import last_code

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def request_code(client, phone=PHONE, **extra):
    return post(client, "/api/v1/auth/otp", {"phone": phone}, **extra)


def login(client, code, phone=PHONE):
    return post(client, "/api/v1/auth/login", {"phone": phone, "code": code})


def test_a_code_is_sent_by_sms_and_never_shown(client, sms_outbox):
    response = request_code(client, phone="+86 138-1234-5678")
    assert response.status_code == 200
    assert response.json() == {"sent": True, "expires_in": 300, "resend_after": 60}
    (message,) = sms_outbox
    code = message.params["code"]
    assert message.phone == PHONE and len(code) == 6 and code.isdigit()
    assert code in message.text and "【蒲公英】" in message.text
    assert code not in response.content.decode()


def test_the_code_is_stored_only_as_a_keyed_hash(client):
    request_code(client)
    record = PhoneCode.objects.get()
    assert last_code(PHONE) not in (record.code_hash, record.salt)
    assert len(record.code_hash) == 64


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "23812345678", "+1 650 555 0100"])
def test_only_mainland_mobile_numbers_are_accepted(client, phone):
    response = request_code(client, phone=phone)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_phone"
    assert body["errors"][0]["field"] == "phone"
    assert response["Content-Type"] == "application/problem+json"


def test_a_new_phone_becomes_a_new_account_and_signs_in(client):
    request_code(client)
    response = login(client, last_code(PHONE))
    assert response.status_code == 200
    user = response.json()["user"]
    assert user["registered"] is False and user["phone"] == "138****5678"
    assert User.objects.get(phone=PHONE).has_usable_password() is False
    assert client.get("/api/v1/me").json()["id"] == user["id"]


def test_a_known_phone_signs_into_the_same_account(client, make_user):
    known = make_user(phone=PHONE)
    request_code(client)
    assert login(client, last_code(PHONE)).json()["user"]["id"] == known.pk
    assert User.objects.count() == 1


def test_a_code_works_once(client):
    request_code(client)
    code = last_code(PHONE)
    assert login(client, code).status_code == 200
    again = login(Client(), code)
    assert again.status_code == 422 and again.json()["code"] == "otp_invalid"


def test_a_code_expires_after_five_minutes(client):
    with time_machine.travel(T0, tick=False):
        request_code(client)
    code = last_code(PHONE)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        response = login(client, code)
    assert response.status_code == 422 and response.json()["code"] == "otp_invalid"


def test_a_code_is_still_good_just_before_it_expires(client):
    with time_machine.travel(T0, tick=False):
        request_code(client)
    with time_machine.travel(T0 + timedelta(minutes=4, seconds=59), tick=False):
        assert login(client, last_code(PHONE)).status_code == 200


def test_five_wrong_tries_kill_the_code(client):
    request_code(client)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries in range(1, 6):
        response = login(client, wrong)
        assert response.status_code == 422 and response.json()["code"] == "otp_invalid"
        assert "attempts_left" not in response.json()
        assert PhoneCode.objects.get().attempts == tries
    # Dead: even the right code is refused, in the same words, until a new one is requested.
    response = login(client, code)
    assert response.status_code == 422 and response.content == login(client, wrong).content
    assert PhoneCode.objects.get().attempts == 5 and PhoneCode.objects.get().used_at is None
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        request_code(client)
        assert login(client, last_code(PHONE)).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/token"])
def test_a_refused_code_reads_the_same_whether_or_not_a_code_is_pending(client, path):
    """One answer for every refused code: a guess tells nobody whether a code is pending for
    a phone (nor how many tries it has left, nor whether one expired or died)."""
    pending, never, used, expired, dead = (f"1391234000{n}" for n in range(5))
    with time_machine.travel(T0, tick=False):
        request_code(client, phone=expired)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        for phone in (pending, used, dead):
            request_code(client, phone=phone)
        assert login(Client(), last_code(used), phone=used).status_code == 200
        for _ in range(5):
            login(Client(), "999999" if last_code(dead) != "999999" else "999998", phone=dead)
        answers = {}
        for phone in (pending, never, used, expired, dead):
            guess = "000000" if last_code(pending) != "000000" else "000001"
            answers[phone] = post(Client(), path, {"phone": phone, "code": guess})
    first = answers[pending]
    assert first.status_code == 422
    body = first.json()
    assert body["code"] == "otp_invalid" and body["errors"][0]["code"] == "otp_invalid"
    assert body["errors"][0]["field"] == "code" and "attempts_left" not in body
    assert all(response.content == first.content for response in answers.values())
    # The pending code still counts the wrong try, and still works.
    assert PhoneCode.objects.get(phone=pending).attempts == 1


def test_the_sign_in_page_says_the_same_whether_or_not_a_code_is_pending(client):
    pending, never = "13912340001", "13912340002"
    request_code(client, phone=pending)
    guess = "000000" if last_code(pending) != "000000" else "000001"

    def page(phone):
        response = Client().post("/login/", {"action": "login", "phone": phone, "code": guess})
        text = response.content.decode().replace(phone, "PHONE")
        return response.status_code, re.sub(r'value="[^"]{32,}"|"X-CSRFToken": "[^"]*"', "", text)

    status, text = page(pending)
    assert status == 200 and "验证码不正确或已失效" in text and 'id="code-error"' in text
    assert page(never) == (status, text)
    assert PhoneCode.objects.get(phone=pending).attempts == 1


def test_a_new_code_replaces_the_old_one(client):
    with time_machine.travel(T0, tick=False):
        request_code(client)
    first = last_code(PHONE)
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        request_code(client)
        second = last_code(PHONE)
        if first != second:
            assert login(client, first).json()["code"] == "otp_invalid"
        assert login(client, second).status_code == 200


def test_requests_per_phone_are_limited_with_retry_after(client):
    with time_machine.travel(T0, tick=False):
        assert request_code(client).status_code == 200
    with time_machine.travel(T0 + timedelta(seconds=20), tick=False):
        response = request_code(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response.json()["code"] == "otp_phone_rate_limited"
    assert response.json()["retry_after"] == 40
    # Five an hour: after the cooldown each minute, the sixth within the hour is refused.
    for minute in range(1, 5):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            assert request_code(client).status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        response = request_code(client)
    assert response.status_code == 429 and response["Retry-After"] == str(54 * 60)


def test_requests_per_client_address_are_limited_with_retry_after(client, settings):
    settings.OTP_RATE_PER_ADDRESS = "3/3600"
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            assert request_code(client, phone=f"1390000000{n}").status_code == 200
        response = request_code(client, phone="13900000009")
        other_address = request_code(client, phone="13900000009", REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert response.json()["code"] == "otp_address_rate_limited"
    assert other_address.status_code == 200


def test_a_refused_request_sends_nothing(client, sms_outbox):
    request_code(client)
    request_code(client)
    assert len(sms_outbox) == 1


def test_a_failing_gateway_answers_503_and_leaves_no_live_code(client, settings):
    settings.SMS_BACKEND = "dandelion.accounts.tests.test_sign_in.BrokenBackend"
    response = request_code(client)
    assert response.status_code == 503 and response.json()["code"] == "sms_unavailable"
    assert not PhoneCode.objects.exists()


class BrokenBackend:
    def send_messages(self, messages):
        from dandelion.accounts.sms import SmsDeliveryError

        raise SmsDeliveryError("down")


def test_a_disabled_account_cannot_sign_in(client, make_user):
    make_user(phone=PHONE, is_active=False)
    request_code(client)
    response = login(client, last_code(PHONE))
    assert response.status_code == 403 and response.json()["code"] == "account_disabled"


def test_the_browser_login_needs_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    request_code(browser)
    code = last_code(PHONE)
    refused = login(browser, code)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    browser.get("/api/v1/auth/session")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    ok = post(browser, "/api/v1/auth/login", {"phone": PHONE, "code": code}, HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200
    token = browser.cookies["csrftoken"].value  # signing in rotates the token
    # Signed in by cookie, writes need the token too.
    assert browser.post("/api/v1/auth/logout").status_code == 403
    assert browser.post("/api/v1/auth/logout", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert browser.get("/api/v1/me").status_code == 401


def test_api_clients_get_a_bearer_token_stored_hashed(client):
    request_code(client)
    response = post(
        client, "/api/v1/auth/token", {"phone": PHONE, "code": last_code(PHONE), "name": "app"}
    )
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert body["token_type"] == "Bearer" and token.startswith("dnd_")
    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.key_prefix) and stored.name == "app"
    api = Client()
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["phone"] == "138****5678"
    # No CSRF with a bearer token; signing out revokes it.
    assert api.post("/api/v1/auth/logout", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_bearer_token_expires(client, settings):
    with time_machine.travel(T0, tick=False):
        request_code(client)
        token = post(
            client, "/api/v1/auth/token", {"phone": PHONE, "code": last_code(PHONE)}
        ).json()["token"]
    with time_machine.travel(T0 + timedelta(days=settings.API_TOKEN_TTL_DAYS), tick=False):
        response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_unknown_bearer_tokens_and_anonymous_callers_get_401(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer dnd_nope")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_session_state_says_who_is_signed_in(client, make_user):
    assert client.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}
    client.force_login(make_user(name="阿强"))
    body = client.get("/api/v1/auth/session").json()
    assert body["authenticated"] is True and body["user"]["display_name"] == "阿强"


def test_purge_removes_what_sign_in_no_longer_needs(client, make_user):
    from dandelion.accounts.services import token_issue, token_revoke
    from dandelion.core.models import RateLimitBucket

    with time_machine.travel(T0, tick=False):
        request_code(client)  # will be used
        request_code(client, phone="13912345678")  # will expire
        login(client, last_code(PHONE))
        old, _ = token_issue(user=make_user())
        token_revoke(token=old)
    with time_machine.travel(T0 + timedelta(days=29), tick=False):
        live, _ = token_issue(user=make_user())
    with time_machine.travel(T0 + timedelta(days=31), tick=False):
        out = io.StringIO()
        call_command("purge_sign_in_data", stdout=out)
    assert "codes: 2" in out.getvalue()
    assert not PhoneCode.objects.exists() and not RateLimitBucket.objects.exists()
    assert list(ApiToken.objects.all()) == [live]
