"""Micro-wishes (微心愿): a worker's small wish on a public wall, without their identity, that
an organisation, merchant or volunteer pledges to fulfil; the worker confirms the fulfilment.
One pledge at a time (a database constraint); a pledge not fulfilled in time lapses and the
wish returns to the wall. A region may require its staff to review wishes before they go on the
wall (`WishReviewPolicy`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent


class MicroWish(models.Model):
    class State(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("待审核")
        REJECTED = "rejected", _("未通过审核")
        OPEN = "open", _("待认领")
        PLEDGED = "pledged", _("已认领")
        FULFILLED = "fulfilled", _("已实现")
        WITHDRAWN = "withdrawn", _("已撤回")

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("许愿人"),
        on_delete=models.PROTECT,
        related_name="micro_wishes",
    )
    need = models.OneToOneField(
        "needs.Need",
        verbose_name=_("来自诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wish",
    )
    title = models.CharField(_("心愿"), max_length=60)
    description = models.TextField(_("说明"), max_length=500, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "city_code"], name="wish_state_city")]

    def __str__(self) -> str:
        return self.title


class WishPledge(models.Model):
    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("志愿者")
        ORGANISATION = "organisation", _("组织")
        MERCHANT = "merchant", _("爱心商户")

    class State(models.TextChoices):
        ACTIVE = "active", _("进行中")
        FULFILLED = "fulfilled", _("已实现")
        LAPSED = "lapsed", _("已超时")
        WITHDRAWN = "withdrawn", _("已放弃")

    wish = models.ForeignKey(MicroWish, on_delete=models.CASCADE, related_name="pledges")
    pledger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        on_delete=models.PROTECT,
        related_name="wish_pledges",
    )
    kind = models.CharField(_("认领方"), max_length=16, choices=Kind.choices)
    display_name = models.CharField(
        _("公开名称"), max_length=60, help_text=_("Shown on the wall, e.g. the merchant's name.")
    )
    message = models.CharField(_("留言"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.ACTIVE)
    pledged_at = models.DateTimeField(_("认领时间"), default=timezone.now)
    due_at = models.DateTimeField(_("应实现时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("心愿认领")
        verbose_name_plural = _("心愿认领")
        ordering = ["-pledged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wish"], condition=Q(state="active"), name="wish_one_active_pledge"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="pledge_state_due")]

    def __str__(self) -> str:
        return f"{self.display_name} → {self.wish}"


class MicroWishEvent(TransitionEvent):
    """A step of a wish's life (append-only)."""

    wish = models.ForeignKey(MicroWish, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("心愿记录")
        verbose_name_plural = _("心愿记录")

    def __str__(self) -> str:
        return f"#{self.wish_id} {self.action}: {self.from_state} → {self.to_state}"


class WishPledgeEvent(TransitionEvent):
    """A step of a pledge's life (append-only)."""

    pledge = models.ForeignKey(WishPledge, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("认领记录")
        verbose_name_plural = _("认领记录")

    def __str__(self) -> str:
        return f"#{self.pledge_id} {self.action}: {self.from_state} → {self.to_state}"


class WishReviewPolicy(models.Model):
    """Whether a region's wishes wait for its staff's review before the public wall shows them.
    The most specific region with a policy decides (a street may differ from its city); with
    none, wishes go on the wall at once."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("区划"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    review_required = models.BooleanField(_("发布前需审核"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("微心愿审核设置")
        verbose_name_plural = _("微心愿审核设置")

    def __str__(self) -> str:
        return str(self.region)
