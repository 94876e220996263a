"""Core tables every app shares: the audit log, the rate-limit buckets, and the columns of every
workflow's event table (`TransitionEvent`, used by `core.workflow`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One line of the audit log (审计日志): who read which sensitive field of whom, and every role
    or membership change. Append-only: rows are written by `core.audit` and never edited.

    `region_code` is the division the event belongs to (the branch's, the station's, the worker's
    work street…), so an auditor's region scope selects the events of their region.
    """

    class Category(models.TextChoices):
        GENERAL = "", _("一般")
        PARTY = "party", _("党员信息")

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=64)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("涉及的人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    field = models.CharField(_("读取的字段"), max_length=64, blank=True)
    category = models.CharField(
        _("类别"), max_length=16, choices=Category.choices, default="", blank=True
    )
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "created_at"], name="audit_subject_time"),
            models.Index(fields=["action", "created_at"], name="audit_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class RateLimitBucket(models.Model):
    """A fixed-window counter shared by every process (see `core.ratelimit`).

    The key is stored hashed: keys carry phone numbers and client addresses, which this table has
    no reason to keep readable.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    window_seconds = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return f"{self.key_hash[:12]}… {self.count}"


class TransitionEvent(models.Model):
    """The columns every workflow's event table has (append-only rows): the action, the state
    before and after, who acted in which role, a note and when. An app's event model inherits
    this and adds the foreign key to its entity and its own columns."""

    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("角色"), max_length=32)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
