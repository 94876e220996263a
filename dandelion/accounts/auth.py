"""How API callers prove who they are: `Authorization: Bearer <token>` for API clients, the
session cookie for the H5 and the staff console (with Django's CSRF check on unsafe methods).

Both leave the person in `request.user`, so handlers never care which one was used.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dandelion.core.errors import PermissionDenied

from .errors import AccountsError
from .services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BearerTokenAuth(HttpBearer):
    """A token from `POST /api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(raw=token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionCsrfAuth(APIKeyCookie):
    """The Django session, checked against the CSRF token on every unsafe method. Anonymous
    requests fall through (to 401), not into a CSRF refusal."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        csrf_require(request)
        return user


def csrf_require(request: HttpRequest) -> None:
    """Django's CSRF check for cookie-authenticated writes; ninja views are CSRF-exempt."""
    if request.method in SAFE_METHODS:
        return
    if check_csrf(request) is not None:
        raise PermissionDenied(
            _("请求未通过 CSRF 校验：请随请求发送 X-CSRFToken 请求头。"),
            code=AccountsError.CSRF_FAILED,
        )


api_auth = [BearerTokenAuth(), SessionCsrfAuth()]
