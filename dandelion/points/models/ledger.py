"""The ledger (积分账本): accounts, transfers and their two entries.

Points are value to the people who earn them, so they live in a double-entry ledger: every
movement is a `Transfer` that writes two `Entry` rows summing to zero. Entries are never changed
or removed (a mistake is corrected by a reversing transfer); an account's `balance` is a cache of
its entries, changed only by `points.services.ledger.transfer_make` under a row lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """Where points sit: a worker's wallet, a region's budget and issuing account, or a reward
    provider's account (a station, a partner place or a merchant organisation).

    A region's budget is where its points come from (its negative balance is what the region
    has created); the admin funds the issuing account from it, and awards are paid from the
    issuing account, so a region cannot award more than it has funded.
    """

    class Kind(models.TextChoices):
        WORKER = "worker", _("个人账户")
        BUDGET = "budget", _("区域积分总额度")
        ISSUER = "issuer", _("区域发放账户")
        PROVIDER = "provider", _("兑换商户账户")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_account",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=160)
    balance = models.BigIntegerField(_("余额"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        ordering = ["id"]
        constraints = [
            # Only a region's budget may go below zero: a worker can never owe points, an
            # issuer cannot pay out what was not funded, a provider cannot refund what it never
            # received.
            models.CheckConstraint(
                condition=Q(kind="budget") | Q(balance__gte=0),
                name="points_account_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind="worker") | Q(user__isnull=False),
                name="points_worker_account_has_user",
            ),
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=Q(kind__in=["budget", "issuer"]),
                name="points_one_region_account_per_kind",
            ),
            models.UniqueConstraint(
                fields=["station"],
                condition=Q(kind="provider", station__isnull=False),
                name="points_one_station_provider",
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(kind="provider", partner__isnull=False),
                name="points_one_partner_provider",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(kind="provider", organisation__isnull=False),
                name="points_one_organisation_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Transfer(models.Model):
    """One movement of points from `debit` to `credit`, written with its two entries.

    `source_key` is the idempotency key derived from what caused it (`report_accepted:123`,
    `redemption:45`): a unique constraint makes a replay award, charge or refund nothing twice.
    """

    class Reason(models.TextChoices):
        AWARD = "award", _("奖励")
        FUNDING = "funding", _("发放额度")
        REDEMPTION = "redemption", _("兑换")
        REFUND = "refund", _("兑换退回")
        REVERSAL = "reversal", _("冲正")

    reason = models.CharField(_("原因"), max_length=16, choices=Reason.choices)
    source_key = models.CharField(_("来源键"), max_length=160, unique=True)
    debit = models.ForeignKey(
        Account, verbose_name=_("转出账户"), on_delete=models.PROTECT, related_name="+"
    )
    credit = models.ForeignKey(
        Account, verbose_name=_("转入账户"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("积分"))
    # For awards: the earning event and when it happened (caps count by this day and month).
    event = models.CharField(_("事件"), max_length=32, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    memo = models.CharField(_("说明"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的转账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分转账")
        verbose_name_plural = _("积分转账")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="points_transfer_positive"),
            models.CheckConstraint(
                condition=~Q(debit=F("credit")), name="points_transfer_two_accounts"
            ),
        ]
        indexes = [models.Index(fields=["event", "occurred_at"], name="points_transfer_event")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_reason_display()} {self.amount}"

    @property
    def memo_text(self) -> str:
        """The memo in the reader's language (see `dandelion.points.memos`)."""
        from ..memos import memo_label

        return memo_label(self.memo)


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ledger entries are never updated; reverse the transfer instead.")

    def delete(self):
        raise TypeError("Ledger entries are never deleted; reverse the transfer instead.")


class Entry(models.Model):
    """One side of a transfer: `amount` is negative on the debited account and positive on the
    credited one. Append-only: the model refuses to save an existing row or delete one."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("转账"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.BigIntegerField(_("积分变动"))
    balance_after = models.BigIntegerField(_("变动后余额"))
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_not_zero"),
            models.UniqueConstraint(
                fields=["transfer", "account"], name="points_entry_one_per_side"
            ),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="points_entry_account")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount:+d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Ledger entries are never updated; reverse the transfer instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are never deleted; reverse the transfer instead.")
