"""Staff sign in with username and password (Django auth) and are locked out after repeated
failures. The counters live in the shared rate-limit table, so the lock holds in every process."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import RateLimited
from dandelion.core.ratelimit import (
    Limit,
    Rate,
    client_address,
    rate_limits_check,
    rate_limits_record,
    rate_limits_reset,
)

from .errors import AccountsError


def staff_login_limits(*, username: str, address: str | None) -> list[Limit]:
    message = _("登录失败次数过多，请稍后再试。")
    limits = [
        Limit(
            f"staff-login:user:{username.strip().lower()}",
            Rate.parse(settings.STAFF_LOGIN_RATE),
            code=AccountsError.LOGIN_LOCKED,
            message=message,
        )
    ]
    if address:
        limits.append(
            Limit(
                f"staff-login:address:{address}",
                Rate.parse(settings.STAFF_LOGIN_ADDRESS_RATE),
                code=AccountsError.LOGIN_LOCKED,
                message=message,
            )
        )
    return limits


def staff_login_lock_check(*, username: str, address: str | None) -> None:
    """`RateLimited` (with the seconds left) while the username or address is locked out."""
    rate_limits_check(limits=staff_login_limits(username=username, address=address))


class LockoutModelBackend(ModelBackend):
    """`ModelBackend` that refuses locked-out usernames and addresses and counts failures.

    While locked, even the right password is refused: otherwise the lock would only slow a
    guesser down until the right guess, which it would then confirm.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else None
        limits = staff_login_limits(username=username, address=address)
        try:
            rate_limits_check(limits=limits)
        except RateLimited:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            rate_limits_record(limits=limits)
        else:
            rate_limits_reset(limits=limits[:1])
        return user

    @staticmethod
    def _username_field() -> str:
        return get_user_model().USERNAME_FIELD
