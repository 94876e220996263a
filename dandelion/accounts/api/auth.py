"""Sign-in endpoints: request a code, sign in for a session or a bearer token, sign out."""

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router

from dandelion.core.api import problems
from dandelion.core.ratelimit import client_address

from .. import services
from ..auth import csrf_require
from .payloads import me_payload
from .schemas import LoginIn, OtpIn, OtpOut, SessionOut, SessionStateOut, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post(
    "/auth/otp",
    response={200: OtpOut, **problems(429, 503)},
    operation_id="auth_otp_request",
    summary="Send a one-time sign-in code by SMS",
    description=(
        "Sends a 6-digit code to a mainland mobile number. Limited per phone and per client "
        "address: 429 with `Retry-After` when exceeded. The code is never in the response."
    ),
    auth=None,
)
def auth_otp_request(request: HttpRequest, payload: OtpIn):
    sent = services.otp_request(phone=payload.phone, client_address=client_address(request))
    return {"sent": True, "expires_in": sent.expires_in, "resend_after": sent.resend_after}


@router.post(
    "/auth/login",
    response={200: SessionOut, **problems(403)},
    operation_id="auth_login",
    summary="Sign in with phone and code (session cookie, for the H5)",
    description=(
        "Checks the code and starts a session. A new phone becomes a new account; "
        "`user.registered` says whether registration (在线报到) is still to do. Browsers must send "
        "the CSRF token (cookie `csrftoken`, header `X-CSRFToken`)."
    ),
    auth=None,
)
def auth_login(request: HttpRequest, payload: LoginIn):
    csrf_require(request)
    user = services.otp_verify(phone=payload.phone, code=payload.code)
    login(request, user, backend=services.SESSION_BACKEND)
    return {"user": me_payload(user)}


@router.post(
    "/auth/token",
    response={201: TokenOut, **problems(403)},
    operation_id="auth_token",
    summary="Sign in with phone and code for a bearer token (API clients)",
    auth=None,
)
def auth_token(request: HttpRequest, payload: TokenIn):
    user = services.otp_verify(phone=payload.phone, code=payload.code)
    token, raw = services.token_issue(user=user, name=payload.name)
    return 201, {"token": raw, "expires_at": token.expires_at, "user": me_payload(user)}


@router.post(
    "/auth/logout",
    response={204: None},
    operation_id="auth_logout",
    summary="Sign out: end the session, or revoke the bearer token used",
)
def auth_logout(request: HttpRequest):
    api_token = getattr(request, "api_token", None)
    if api_token is not None:
        services.token_revoke(token=api_token)
    else:
        logout(request)
    return 204, None


@router.get(
    "/auth/session",
    response=SessionStateOut,
    operation_id="auth_session",
    summary="Who is signed in (also sets the CSRF cookie for the H5)",
    auth=None,
)
def auth_session(request: HttpRequest):
    get_token(request)
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False, "user": None}
    return {"authenticated": True, "user": me_payload(user)}
