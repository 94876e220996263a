"""Redemptions (兑换码): redeem a reward for a code, fulfil it at the counter, cancel it, or let
it expire. Every move after the first goes through `core.workflow.transition` on
`points.workflow.REDEMPTION`; cancelling and expiring refund the points and put the unit back in
the same move."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    Conflict,
    CoreError,
    InvalidInput,
    NotFound,
    field_error,
)
from dandelion.core.events import publish
from dandelion.core.permissions import scope_queryset
from dandelion.core.workflow import SYSTEM, transition
from dandelion.notifications.services import notification_send

from ..errors import PointsError
from ..events import RedemptionCancelled, RedemptionIssued
from ..models import Redemption, RedemptionEvent, Reward, Transfer
from ..selectors import redemption_to_fulfil
from ..workflow import ISSUE, REDEMPTION, STAFF, WORKER
from .ledger import accounts_lock, provider_account, transfer_make, worker_account

# No 0/O, 1/I/L: codes are read aloud and typed at a counter.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_IDEMPOTENCY_KEY = 100
RELATED = ("reward__station", "reward__partner", "reward__organisation", "reward__region", "user")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def _provider_of(reward: Reward):
    return provider_account(
        station=reward.station, partner=reward.partner, organisation=reward.organisation
    )


@transaction.atomic
def reward_redeem(*, reward_id: int, user, idempotency_key: str) -> tuple[Redemption, bool]:
    """Redeem one unit of a reward: pay its price from the worker's wallet to the provider's
    account and reserve one unit of stock, in one transaction.

    - Idempotent per worker and `idempotency_key`: the same key for the same reward returns
      the first redemption (`False`), nothing is charged twice; the same key for another reward
      is a 409 (`idempotency_key_reused`).
    - Stock is taken by a conditional update (`stock = stock - 1 WHERE stock > 0`), so it
      never goes below zero and a unit is never sold twice; a failure later in the transaction
      puts it back by rolling back.
    - Locks: the worker's and the provider's accounts (id order), then the reward's row.
    - The redemption's first event (`issue`: "" → issued) is written with it.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        message = _("请在 Idempotency-Key 请求头中发送 1 到 100 个字符。")
        raise InvalidInput(
            message,
            code=PointsError.IDEMPOTENCY_KEY_REQUIRED,
            errors=[
                field_error(
                    "Idempotency-Key",
                    PointsError.IDEMPOTENCY_KEY_REQUIRED,
                    message,
                    loc=["header", "Idempotency-Key"],
                )
            ],
        )
    reward = (
        Reward.objects.select_related("station", "partner", "organisation", "region")
        .filter(pk=reward_id)
        .first()
    )
    if reward is None:
        raise NotFound(
            _("没有这个兑换商品。"), code=CoreError.NOT_FOUND, extra={"entity": "reward"}
        )
    wallet = worker_account(user=user)
    provider = _provider_of(reward)
    accounts_lock([wallet.pk, provider.pk])

    earlier = Redemption.objects.filter(user=user, idempotency_key=key).first()
    if earlier is not None:
        if earlier.reward_id != reward.pk:
            raise Conflict(
                _("这个 Idempotency-Key 已用于兑换另一件商品，请刷新页面后重试。"),
                code=PointsError.IDEMPOTENCY_KEY_REUSED,
                extra={"redemption_id": earlier.pk},
            )
        return earlier, False

    now = timezone.now()
    if not reward.is_active:
        raise Conflict(_("该商品已下架。"), code=PointsError.REWARD_INACTIVE)
    if not (reward.valid_from <= now < reward.valid_until):
        raise Conflict(
            _("不在兑换时间内。"),
            code=PointsError.REWARD_NOT_IN_WINDOW,
            extra={
                "valid_from": reward.valid_from.isoformat(),
                "valid_until": reward.valid_until.isoformat(),
            },
        )
    held = Redemption.objects.filter(
        user=user,
        reward=reward,
        status__in=[Redemption.Status.ISSUED, Redemption.Status.FULFILLED],
    ).count()
    if held >= reward.per_person_limit:
        raise Conflict(
            _("已达到每人限兑数量（%(limit)s）。") % {"limit": reward.per_person_limit},
            code=PointsError.PER_PERSON_LIMIT,
            extra={"limit": reward.per_person_limit},
        )
    if wallet.balance < reward.price:
        # Checked again under the lock by transfer_make; this keeps stock untouched.
        raise Conflict(
            _("积分不足：需要 %(needed)s，现有 %(balance)s。")
            % {"needed": reward.price, "balance": wallet.balance},
            code=PointsError.INSUFFICIENT_POINTS,
            extra={"balance": wallet.balance, "needed": reward.price},
        )
    taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise Conflict(_("已兑完。"), code=PointsError.OUT_OF_STOCK)
    charge, _created = transfer_make(
        debit=wallet,
        credit=provider,
        amount=reward.price,
        reason=Transfer.Reason.REDEMPTION,
        source_key=f"redeem:{user.pk}:{key}",
        memo=reward.title,
        actor=user,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                redemption = Redemption.objects.create(
                    reward=reward,
                    user=user,
                    code=_new_code(),
                    idempotency_key=key,
                    price=reward.price,
                    charge=charge,
                    created_at=now,
                    expires_at=min(now + timedelta(days=reward.claim_days), reward.valid_until)
                    if reward.claim_days
                    else reward.valid_until,
                )
        except IntegrityError:
            if Redemption.objects.filter(user=user, idempotency_key=key).exists():
                raise
            continue  # a code collision: draw another
        RedemptionEvent.objects.create(
            redemption=redemption,
            action=ISSUE,
            from_state="",
            to_state=Redemption.Status.ISSUED,
            actor=user,
            actor_role=WORKER,
            created_at=now,
        )
        publish(
            RedemptionIssued(
                occurred_at=now,
                redemption_id=redemption.pk,
                reward_id=reward.pk,
                user_id=user.pk,
                region_code=reward.region.code,
                price=redemption.price,
            )
        )
        return redemption, True
    raise Conflict(_("未能生成兑换码，请重试。"), code=PointsError.CODE_EXHAUSTED)


# What each closed state means to the person at the counter or holding the code.
CLOSED_MESSAGES = {
    Redemption.Status.FULFILLED: _("这个兑换码已经领取过了。"),
    Redemption.Status.EXPIRED: _("这个兑换码已过期。"),
    Redemption.Status.CANCELLED: _("这个兑换码已取消。"),
}


def _move(redemption: Redemption, action: str, *, actor, actor_role: str, at, **kwargs):
    """`core.workflow.transition` on the redemption table, its 409 (`illegal_transition`,
    naming the state) said in words of the redemption's state."""
    try:
        return transition(
            REDEMPTION,
            redemption,
            action,
            actor=actor,
            actor_role=actor_role,
            event_model=RedemptionEvent,
            event_fk="redemption",
            at=at,
            **kwargs,
        )
    except Conflict as exc:
        state = exc.extra.get("state")
        if exc.code != CoreError.ILLEGAL_TRANSITION or state not in CLOSED_MESSAGES:
            raise
        raise Conflict(CLOSED_MESSAGES[state], code=exc.code, extra=exc.extra) from None


def _not_past_deadline(at):
    """A code past its claim deadline is expired, whether or not the job has marked it yet."""

    def guard(redemption: Redemption, move) -> None:
        if redemption.expires_at <= at:
            raise Conflict(
                CLOSED_MESSAGES[Redemption.Status.EXPIRED],
                code=CoreError.ILLEGAL_TRANSITION,
                extra={
                    "entity": REDEMPTION.entity,
                    "state": Redemption.Status.EXPIRED,
                    "action": move.action,
                    "allowed_from": REDEMPTION.sources_of(move.action),
                },
            )

    return guard


@transaction.atomic
def redemption_fulfil(*, code: str, actor) -> Redemption:
    """Staff of the providing station or merchant hand the reward over (核销). Only an issued
    code that has not expired can be fulfilled, once.

    The code is found through `selectors.redemption_to_fulfil`, which decides what a refusal
    says: 403 for someone who may fulfil codes nowhere, whatever the code; for staff, the same
    404 for another provider's code as for a code that does not exist."""
    redemption = redemption_to_fulfil(actor=actor, code=code)
    now = timezone.now()

    def fulfilled(locked: Redemption, move) -> list[str]:
        locked.fulfilled_at = now
        locked.fulfilled_by = actor
        locked.closed_at = now
        return ["fulfilled_at", "fulfilled_by", "closed_at"]

    moved = _move(
        redemption,
        "fulfil",
        actor=actor,
        actor_role=STAFF,
        at=now,
        guard=_not_past_deadline(now),
        changes=fulfilled,
        queryset=scope_queryset(
            actor, "redemption.fulfil", Redemption.objects.select_related(*RELATED)
        ),
    )
    return moved.obj


def _refunded(actor, at):
    """The refund that goes with cancelling or expiring: the points back to the worker and the
    unit back to stock, written with the move (the table refuses a closed redemption without
    its refund). Locks after the redemption's: the two accounts (id order), then the reward."""

    def changes(redemption: Redemption, move) -> list[str]:
        reward = redemption.reward
        wallet = worker_account(user=redemption.user)
        provider = _provider_of(reward)
        accounts_lock([wallet.pk, provider.pk])
        refund, _created = transfer_make(
            debit=provider,
            credit=wallet,
            amount=redemption.price,
            reason=Transfer.Reason.REFUND,
            source_key=f"refund:{redemption.pk}",
            memo=reward.title,
            actor=actor,
        )
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") + 1)
        redemption.refund = refund
        redemption.closed_at = at
        return ["refund", "closed_at"]

    return changes


@transaction.atomic
def redemption_cancel(*, redemption_id: int, actor) -> Redemption:
    """The worker (or staff of the provider) cancels an unclaimed code: points and stock go
    back. A redemption the actor may not cancel reads as no such redemption."""
    mine = Redemption.objects.filter(pk=redemption_id, user_id=getattr(actor, "pk", None))
    role = WORKER if mine.exists() else STAFF
    now = timezone.now()
    moved = _move(
        # Only the id: `transition` loads and locks the row among those the actor may cancel.
        Redemption(pk=redemption_id),
        "cancel",
        actor=actor,
        actor_role=role,
        at=now,
        changes=_refunded(actor, now),
        queryset=scope_queryset(
            actor, "redemption.cancel", Redemption.objects.select_related("reward", "user")
        ),
    )
    cancelled = Redemption.objects.select_related(*RELATED).get(pk=moved.obj.pk)
    publish(
        RedemptionCancelled(
            occurred_at=now,
            redemption_id=cancelled.pk,
            reward_id=cancelled.reward_id,
            user_id=cancelled.user_id,
            region_code=cancelled.reward.region.code,
            price=cancelled.price,
            issued_at=cancelled.created_at,
        )
    )
    return cancelled


def redemptions_expire(*, batch: int = 200) -> int:
    """Expire unclaimed codes past their deadline, refunding each (a periodic job). Each code
    is handled in its own transaction under its row lock, skipping rows another runner holds,
    so two runners never refund one code twice."""
    done = 0
    now = timezone.now()
    due = list(
        Redemption.objects.filter(status=Redemption.Status.ISSUED, expires_at__lte=now)
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        with transaction.atomic():
            row = (
                Redemption.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Redemption.Status.ISSUED, expires_at__lte=now)
                .first()
            )
            if row is None:
                continue
            moved = _move(
                row,
                "expire",
                actor=None,
                actor_role=SYSTEM,
                at=now,
                changes=_refunded(None, now),
                queryset=Redemption.objects.select_related("reward", "user"),
            )
            expired = moved.obj
            notification_send(
                recipients=[expired.user_id],
                kind="points.redemption_expired",
                params={"reward": expired.reward.title, "points": expired.price},
                url=f"/rewards/codes/{expired.code}/",
            )
            done += 1
    return done
