"""What signing in leaves behind: one-time codes sent by SMS and bearer tokens for API clients.
Neither keeps its secret: both store only a keyed hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PhoneCode(models.Model):
    """A one-time sign-in code (短信验证码) sent to a mainland mobile number.

    Only the latest unused code of a phone is live; it expires after `OTP_TTL_SECONDS` and dies
    after `OTP_MAX_ATTEMPTS` wrong tries. The code itself is kept only as an HMAC keyed with the
    server's secret, so a copy of the database does not reveal it.
    """

    phone = models.CharField(_("手机号"), max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "created_at"], name="phonecode_phone_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="phonecode_expires_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token (`Authorization: Bearer …`) for API clients. The token is shown once, when
    issued; the table keeps its SHA-256 (tokens are long random strings, so no salt or stretching
    is needed) and the first characters to tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    key_prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key_prefix}…"
