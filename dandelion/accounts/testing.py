"""Test helpers for accounts and the apps built on it: people, sign-in, clients.

App test packages import the fixtures into their conftest.py (`from dandelion.accounts.testing
import *`); nothing here runs outside tests.
"""

import itertools

import pytest
from django.conf import settings
from django.test import Client

from . import sms
from .models import User
from .services import worker_register

__all__ = ["client_for", "last_code", "make_user", "make_worker", "sms_outbox"]

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Every test sends SMS to memory; the outbox starts empty. Passwords hash fast."""
    settings.SMS_BACKEND = "locmem"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def last_code(phone: str) -> str:
    """The code in the newest SMS sent to `phone`."""
    for message in reversed(sms.outbox):
        if message.phone == phone:
            return message.params["code"]
    raise AssertionError(f"No SMS was sent to {phone}.")


def client_for(user: User | None) -> Client:
    """A test client signed in as `user` by session (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def make_user(db):
    def make(
        *, name: str | None = None, phone: str | None = None, password: str = "", **fields
    ) -> User:
        n = next(_numbers)
        user = User(
            username=fields.pop("username", f"user{n}"),
            display_name=name or f"用户{n}",
            phone=phone or f"139{n:08d}",
            **fields,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    return make


@pytest.fixture
def make_worker(make_user, jiujiang):
    """A worker who has registered (报到), working in `street` (default 甘棠街道 of 浔阳区)."""

    def make(*, street=None, registered: bool = True, **fields) -> User:
        user = make_user(**fields)
        if registered:
            worker_register(
                user=user,
                changes={
                    "occupation": "delivery_rider",
                    "platform": "meituan",
                    "work_region_code": (street or jiujiang["street"]).code,
                    "accept_policy_version": _policy_version(),
                },
            )
        return user

    return make


def _policy_version() -> str:
    return settings.PRIVACY_POLICY_VERSION
