"""The rewards catalogue (积分兑换) and redemptions, with each redemption's history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent

from .ledger import Transfer


class Reward(models.Model):
    """A good or service in the rewards catalogue (积分兑换), offered by a station, a partner
    place or a merchant organisation, for a points price, while stock lasts."""

    class Kind(models.TextChoices):
        DRINK = "drink", _("饮品")
        DAILY_GOODS = "daily_goods", _("日用品")
        PHONE_TOPUP = "phone_topup", _("话费充值")
        HEALTH_CHECK = "health_check", _("免费体检")
        REPAIR_VOUCHER = "repair_voucher", _("维修券")
        OTHER = "other", _("其他")

    title = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("驿站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner = models.ForeignKey(
        "stations.PartnerPlace",
        verbose_name=_("合作点位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("商户组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    price = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    per_person_limit = models.PositiveIntegerField(_("每人限兑"), default=1)
    valid_from = models.DateTimeField(_("开始兑换"))
    valid_until = models.DateTimeField(_("截止兑换"))
    claim_days = models.PositiveSmallIntegerField(
        _("领取期限（天）"), default=7, help_text=_("Days a redemption code stays valid.")
    )
    is_active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("兑换商品")
        verbose_name_plural = _("兑换商品")
        ordering = ["price", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="points_reward_stock"),
            models.CheckConstraint(condition=Q(price__gt=0), name="points_reward_price"),
            models.CheckConstraint(condition=Q(per_person_limit__gt=0), name="points_reward_limit"),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="points_reward_window"
            ),
            models.CheckConstraint(
                condition=Q(station__isnull=False, partner__isnull=True, organisation__isnull=True)
                | Q(station__isnull=True, partner__isnull=False, organisation__isnull=True)
                | Q(station__isnull=True, partner__isnull=True, organisation__isnull=False),
                name="points_reward_one_provider",
            ),
        ]
        indexes = [models.Index(fields=["city_code", "is_active"], name="points_reward_city")]

    def __str__(self) -> str:
        return self.title

    @property
    def provider(self):
        return self.station or self.partner or self.organisation


class Redemption(models.Model):
    """A worker's redemption of a reward: the points are paid and one unit of stock reserved at
    once; staff of the provider hand it over against the short code. An unclaimed code expires
    and, like a cancelled one, gives the points and the stock back."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待领取")
        FULFILLED = "fulfilled", _("已领取")
        EXPIRED = "expired", _("已过期")
        CANCELLED = "cancelled", _("已取消")

    reward = models.ForeignKey(
        Reward, verbose_name=_("兑换商品"), on_delete=models.PROTECT, related_name="redemptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("兑换人"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    code = models.CharField(_("兑换码"), max_length=12, unique=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    price = models.PositiveIntegerField(_("积分"))
    charge = models.OneToOneField(
        Transfer, verbose_name=_("扣分转账"), on_delete=models.PROTECT, related_name="+"
    )
    refund = models.OneToOneField(
        Transfer,
        verbose_name=_("退回转账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("兑换时间"))
    expires_at = models.DateTimeField(_("领取截止"))
    fulfilled_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("兑换记录")
        verbose_name_plural = _("兑换记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="points_redemption_idempotent"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["expired", "cancelled"]) | Q(refund__isnull=False),
                name="points_redemption_refunded_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="points_redemption_due"),
            models.Index(fields=["user", "reward", "status"], name="points_redemption_user"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.reward}"


class RedemptionEvent(TransitionEvent):
    """One move of a redemption (`points.workflow.REDEMPTION`): issued, fulfilled, cancelled
    or expired, by whom, in which role. Append-only."""

    redemption = models.ForeignKey(
        Redemption,
        verbose_name=_("兑换记录"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("兑换记录变更")
        verbose_name_plural = _("兑换记录变更")
        indexes = [
            models.Index(fields=["redemption", "created_at"], name="points_redemption_event")
        ]

    def __str__(self) -> str:
        return f"{self.redemption_id}: {self.from_state or '∅'} → {self.to_state}"
