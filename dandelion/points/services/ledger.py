"""The ledger service: the only code that writes transfers and entries or changes a balance."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, CoreError, InvalidInput, field_error

from ..errors import PointsError
from ..models import Account, Entry, Transfer

logger = logging.getLogger(__name__)

# Accounts that may never go below zero (the database enforces it too; checking first turns a
# refused write into a clear domain error instead of an IntegrityError).
FLOORED_KINDS = {Account.Kind.WORKER, Account.Kind.ISSUER, Account.Kind.PROVIDER}


def worker_account(*, user) -> Account:
    """The worker's wallet, created on first use (idempotent under concurrency)."""
    account = Account.objects.filter(user=user, kind=Account.Kind.WORKER).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(kind=Account.Kind.WORKER, user=user, name=str(user)[:160])
    except IntegrityError:
        return Account.objects.get(user=user, kind=Account.Kind.WORKER)


def _region_account(region, kind: str) -> Account:
    account = Account.objects.filter(region=region, kind=kind).first()
    if account is not None:
        return account
    label = {Account.Kind.BUDGET: "积分总额度", Account.Kind.ISSUER: "积分发放账户"}[kind]
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind, region=region, name=f"{region.name}{label}")
    except IntegrityError:
        return Account.objects.get(region=region, kind=kind)


def issuer_account(*, region) -> Account:
    return _region_account(region, Account.Kind.ISSUER)


def budget_account(*, region) -> Account:
    return _region_account(region, Account.Kind.BUDGET)


def provider_account(*, station=None, partner=None, organisation=None) -> Account:
    """The account of whoever provides a reward; exactly one of the three is given."""
    lookup = {"station": station, "partner": partner, "organisation": organisation}
    lookup = {k: v for k, v in lookup.items() if v is not None}
    if len(lookup) != 1:
        raise ValueError("A provider is exactly one station, partner place or organisation.")
    ((_field, owner),) = lookup.items()
    account = Account.objects.filter(kind=Account.Kind.PROVIDER, **lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(
                kind=Account.Kind.PROVIDER, name=owner.name[:160], **lookup
            )
    except IntegrityError:
        return Account.objects.get(kind=Account.Kind.PROVIDER, **lookup)


def accounts_lock(ids: Iterable[int]) -> dict[int, Account]:
    """Lock accounts in ascending id order, whoever asks: two transfers touching the same pair
    of accounts wait for each other instead of deadlocking."""
    ordered = sorted(set(ids))
    locked = list(Account.objects.select_for_update().filter(pk__in=ordered).order_by("pk"))
    return {account.pk: account for account in locked}


@transaction.atomic
def transfer_make(
    *,
    debit: Account,
    credit: Account,
    amount: int,
    reason: str,
    source_key: str,
    memo: str = "",
    event: str = "",
    occurred_at: datetime | None = None,
    actor=None,
    reverses: Transfer | None = None,
) -> tuple[Transfer, bool]:
    """Move `amount` points from `debit` to `credit` as one transfer with two entries, and
    update both cached balances, under row locks taken in id order.

    Idempotent by `source_key`: when a transfer with that key exists (now, or written by a
    concurrent caller while this one waited for the locks), it is returned with `False` and
    nothing is written. Refuses (409) to take a floored account below zero.
    """
    if amount <= 0:
        raise InvalidInput(_("转账的积分必须是正数。"), code=PointsError.INVALID_AMOUNT)
    if debit.pk == credit.pk:
        raise InvalidInput(_("转账需要两个不同的账户。"), code=PointsError.SAME_ACCOUNT)
    existing = Transfer.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    locked = accounts_lock([debit.pk, credit.pk])
    # Another caller with the same key may have committed while we waited for the locks.
    existing = Transfer.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    payer, payee = locked[debit.pk], locked[credit.pk]
    if payer.kind in FLOORED_KINDS and payer.balance < amount:
        raise Conflict(
            _("积分不足：需要 %(needed)s，现有 %(balance)s。")
            % {"needed": amount, "balance": payer.balance},
            code=PointsError.INSUFFICIENT_POINTS,
            extra={"balance": payer.balance, "needed": amount, "account_kind": payer.kind},
        )
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                reason=reason,
                source_key=source_key,
                debit=payer,
                credit=payee,
                amount=amount,
                event=event,
                occurred_at=occurred_at or timezone.now(),
                memo=memo[:200],
                reverses=reverses,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # The key's unique constraint is the last word when no lock covered the race.
        existing = Transfer.objects.filter(source_key=source_key).first()
        if existing is None:
            raise
        return existing, False
    Entry.objects.bulk_create(
        [
            Entry(
                transfer=transfer,
                account=payer,
                amount=-amount,
                balance_after=payer.balance - amount,
            ),
            Entry(
                transfer=transfer,
                account=payee,
                amount=amount,
                balance_after=payee.balance + amount,
            ),
        ]
    )
    Account.objects.filter(pk=payer.pk).update(balance=F("balance") - amount)
    Account.objects.filter(pk=payee.pk).update(balance=F("balance") + amount)
    for account, delta in ((debit, -amount), (credit, amount)):
        account.balance = locked[account.pk].balance + delta
    return transfer, True


@transaction.atomic
def transfer_reverse(*, transfer: Transfer, memo: str, actor=None) -> Transfer:
    """Correct a transfer by moving its amount back (冲正), with a reason. A transfer is
    reversed at most once; a reversal itself is not reversed (make a new transfer instead)."""
    memo = (memo or "").strip()
    if not memo:
        message = _("请说明冲正的原因。")
        raise InvalidInput(
            message,
            code=CoreError.REQUIRED,
            errors=[field_error("memo", CoreError.REQUIRED, message)],
        )
    if transfer.reverses_id is not None:
        raise Conflict(
            _("冲正转账不能再次冲正，请另做一笔转账。"), code=PointsError.REVERSAL_OF_REVERSAL
        )
    reversal, created = transfer_make(
        debit=transfer.credit,
        credit=transfer.debit,
        amount=transfer.amount,
        reason=Transfer.Reason.REVERSAL,
        source_key=f"reversal:{transfer.pk}",
        memo=memo,
        event=transfer.event,
        occurred_at=transfer.occurred_at,
        actor=actor,
        reverses=transfer,
    )
    if not created:
        raise Conflict(_("这笔转账已经冲正过了。"), code=PointsError.ALREADY_REVERSED)
    return reversal


@transaction.atomic
def issuer_fund(*, region, amount: int, actor, source_key: str, memo: str = "") -> Transfer:
    """Give a region's issuing account `amount` points from the region's budget."""
    transfer, _ = transfer_make(
        debit=budget_account(region=region),
        credit=issuer_account(region=region),
        amount=amount,
        reason=Transfer.Reason.FUNDING,
        source_key=source_key,
        memo=memo or "发放额度",
        actor=actor,
    )
    return transfer
