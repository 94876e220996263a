"""Staff sign in with username and password and are locked out after repeated failures."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.test import RequestFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(make_user):
    return make_user(username="wang", password=PASSWORD, is_staff=True)


def sign_in(client, password):
    return client.post("/admin/login/", {"username": "wang", "password": password})


def test_the_right_password_signs_in(client, staff):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_five_failures_lock_the_username_out_even_with_the_right_password(client, staff):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            assert sign_in(client, "wrong").status_code == 200
        response = sign_in(client, PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_window(client, staff):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            sign_in(client, "wrong")
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        assert sign_in(client, PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(client, staff):
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            sign_in(client, "wrong")
        assert sign_in(client, PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            sign_in(client, "wrong")
        assert sign_in(client, PASSWORD).status_code == 302


def test_the_backend_itself_refuses_locked_usernames(staff):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        assert authenticate(request, username="wang", password="wrong") is None
    assert authenticate(request, username="wang", password=PASSWORD) is None


def test_many_usernames_from_one_address_lock_the_address(settings, make_user):
    settings.STAFF_LOGIN_ADDRESS_RATE = "3/900"
    make_user(username="li", password=PASSWORD)
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    for name in ("a", "b", "c"):
        authenticate(request, username=name, password="wrong")
    assert authenticate(request, username="li", password=PASSWORD) is None
