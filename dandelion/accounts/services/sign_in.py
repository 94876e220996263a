"""Signing in: one-time codes by SMS for workers, bearer tokens for API clients.

Rules (issue 3): a code has 6 digits, lives `OTP_TTL_SECONDS` (5 minutes), is stored only as a
keyed hash, and dies after `OTP_MAX_ATTEMPTS` (5) wrong tries; only the newest code of a phone
is live. Every refused code gets the same answer (`otp_invalid`), whatever the reason.
Sending is limited per phone and per client address. A phone seen for the first time becomes a
new account.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    InvalidInput,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    field_error,
)
from dandelion.core.ratelimit import Limit, rate_limits_consume, rate_limits_purge, rates_parse

from ..errors import AccountsError
from ..models import ApiToken, PhoneCode, User
from ..phones import phone_normalise
from ..sms import SmsDeliveryError, SmsMessage, sms_send

OTP_LENGTH = 6
# The backend a session started by a one-time code is recorded under (`login(..., backend=)`).
SESSION_BACKEND = "dandelion.accounts.backends.LockoutModelBackend"
TOKEN_PREFIX = "dnd_"
# Writing last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    resend_after: int


def _code_hash(*, phone: str, code: str, salt: str) -> str:
    return salted_hmac(
        "dandelion.accounts.otp", f"{phone}:{code}:{salt}", algorithm="sha256"
    ).hexdigest()


def otp_limits(*, phone: str, address: str) -> list[Limit]:
    limits = [
        Limit(
            f"otp:phone:{phone}",
            rate,
            code=AccountsError.OTP_PHONE_RATE_LIMITED,
            message=_("这个手机号获取验证码太频繁，请稍后再试。"),
        )
        for rate in rates_parse(settings.OTP_RATE_PER_PHONE)
    ]
    limits += [
        Limit(
            f"otp:address:{address}",
            rate,
            code=AccountsError.OTP_ADDRESS_RATE_LIMITED,
            message=_("当前网络获取验证码太频繁，请稍后再试。"),
        )
        for rate in rates_parse(settings.OTP_RATE_PER_ADDRESS)
    ]
    return limits


def _otp_text(code: str) -> str:
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    return (
        f"【{settings.SMS_SIGNATURE}】您的登录验证码是{code}，{minutes}分钟内有效。请勿告诉他人。"
    )


def otp_request(*, phone: str, client_address: str, now: datetime | None = None) -> OtpSent:
    """Send a new code to `phone`, or `RateLimited` (429 with Retry-After).

    The SMS goes out after the code is committed, outside the transaction, so a slow gateway
    never holds the database's write lock; if it fails the code is withdrawn and the caller gets
    503 (the rate limit still counts the attempt, so a broken gateway is not hammered).
    """
    phone = phone_normalise(phone)
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**OTP_LENGTH):0{OTP_LENGTH}d}"
    with transaction.atomic():
        try:
            rate_limits_consume(limits=otp_limits(phone=phone, address=client_address), now=now)
        except RateLimited as exc:
            # The page and the app both say how long to wait.
            raise RateLimited(
                _("操作太频繁，请 %(seconds)s 秒后再试。") % {"seconds": exc.retry_after},
                retry_after=exc.retry_after,
                code=exc.code,
            ) from exc
        PhoneCode.objects.filter(phone=phone).delete()
        salt = secrets.token_hex(8)
        record = PhoneCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone=phone, code=code, salt=salt),
            salt=salt,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
    try:
        sms_send(
            SmsMessage(
                phone=phone,
                text=_otp_text(code),
                template="otp",
                params={"code": code, "minutes": settings.OTP_TTL_SECONDS // 60},
            )
        )
    except SmsDeliveryError as exc:
        PhoneCode.objects.filter(pk=record.pk).delete()
        raise ServiceUnavailable(
            _("短信发送失败，请稍后再试。"), code=AccountsError.SMS_UNAVAILABLE
        ) from exc
    cooldowns = [r.seconds for r in rates_parse(settings.OTP_RATE_PER_PHONE) if r.limit == 1]
    return OtpSent(expires_in=settings.OTP_TTL_SECONDS, resend_after=min(cooldowns, default=0))


class _Outcome(Enum):
    OK = "ok"
    NOT_REQUESTED = "not_requested"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    WRONG = "wrong"
    DISABLED = "disabled"


def placeholder_display_name(phone: str) -> str:
    """The name a new worker is shown by until they give one: 用户 and the phone's last four."""
    return f"用户{phone[-4:]}"


def _new_worker(phone: str) -> User:
    user = User(
        username=f"w{secrets.token_hex(6)}",
        phone=phone,
        display_name=placeholder_display_name(phone),
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def _otp_check(*, phone: str, code: str, now: datetime) -> tuple[_Outcome, User | None]:
    record = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if record is None:
        return _Outcome.NOT_REQUESTED, None
    if record.expires_at <= now:
        return _Outcome.EXPIRED, None
    if record.attempts >= settings.OTP_MAX_ATTEMPTS:
        return _Outcome.EXHAUSTED, None
    expected = _code_hash(phone=phone, code=code, salt=record.salt)
    if not constant_time_compare(expected, record.code_hash):
        record.attempts += 1
        record.save(update_fields=["attempts"])
        return _Outcome.WRONG, None
    user = User.objects.filter(phone=phone).first()
    if user is not None and not user.is_active:
        return _Outcome.DISABLED, None
    record.used_at = now
    record.save(update_fields=["used_at"])
    if user is None:
        user = _new_worker(phone)
    user.last_login = now
    user.save(update_fields=["last_login"])
    return _Outcome.OK, user


def otp_verify(*, phone: str, code: str, now: datetime | None = None) -> User:
    """The account of `phone` (created on first sign-in) if `code` is its live code.

    Every refused code gets the one answer, `otp_invalid` (422, the same sentence and the same
    `errors[]` item): a wrong code, no code requested, a used, expired or replaced code, and a
    code killed by too many wrong tries all read alike, so nobody learns from a guess whether a
    code is pending for a phone, nor how many tries it has left. The counting is unchanged: each
    wrong try counts against the live code, which dies after `OTP_MAX_ATTEMPTS`; then even the
    right code is refused until a new one is requested. Only the phone's owner, holding the
    right live code, learns that the account is disabled.

    Not itself atomic: the wrong-try counter has to be committed before the refusal is raised,
    or a rolled-back transaction would forget the try.
    """
    phone = phone_normalise(phone)
    outcome, user = _otp_check(phone=phone, code=(code or "").strip(), now=now or timezone.now())
    if outcome is _Outcome.OK:
        return user
    if outcome is _Outcome.DISABLED:
        raise PermissionDenied(_("该账号已停用。"), code=AccountsError.ACCOUNT_DISABLED)
    message = _("验证码不正确或已失效，请检查后重试，或重新获取验证码。")
    raise InvalidInput(
        message,
        code=AccountsError.OTP_INVALID,
        errors=[field_error("code", AccountsError.OTP_INVALID, message)],
    )


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new bearer token; the raw token is returned once and never stored."""
    now = now or timezone.now()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_prefix=raw[:10],
        key_hash=_token_hash(raw),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return token, raw


def token_authenticate(*, raw: str, now: datetime | None = None) -> ApiToken | None:
    """The live token for `raw` with its active user, or None. Notes the use now and then."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, now: datetime | None = None) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


# Revoked and expired tokens stay this long so "signed out on …" can still be shown and exported.
TOKEN_RETENTION = timedelta(days=30)


@transaction.atomic
def sign_in_data_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what sign-in no longer needs: used or expired codes, long-dead tokens and closed
    rate-limit windows. Run daily (`manage.py purge_sign_in_data`)."""
    now = now or timezone.now()
    codes, _ = PhoneCode.objects.filter(
        models.Q(expires_at__lte=now) | models.Q(used_at__isnull=False)
    ).delete()
    tokens, _ = ApiToken.objects.filter(
        models.Q(expires_at__lte=now - TOKEN_RETENTION)
        | models.Q(revoked_at__lte=now - TOKEN_RETENTION)
    ).delete()
    return {"codes": codes, "tokens": tokens, "rate_limit_buckets": rate_limits_purge(now=now)}
