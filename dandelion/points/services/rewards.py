"""The rewards catalogue and redemptions (积分兑换): redeem, fulfil by code, cancel, expire."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.core.permissions import can, grants_for, registry
from dandelion.notifications.services import notification_send

from ..models import Redemption, Reward, Transfer
from .ledger import accounts_lock, provider_account, transfer_make, worker_account

# No 0/O, 1/I/L: codes are read aloud and typed at a counter.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_IDEMPOTENCY_KEY = 100
RELATED = ("reward__station", "reward__partner", "reward__organisation", "reward__region", "user")

REWARD_FIELDS = {
    "title",
    "description",
    "kind",
    "price",
    "stock",
    "per_person_limit",
    "valid_from",
    "valid_until",
    "claim_days",
    "is_active",
}


def code_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _provider_of(reward: Reward):
    return provider_account(
        station=reward.station, partner=reward.partner, organisation=reward.organisation
    )


def _validated(reward: Reward) -> Reward:
    from django.core.exceptions import ValidationError

    rules = (
        ("price", reward.price is not None and reward.price <= 0, "greater than 0"),
        (
            "per_person_limit",
            reward.per_person_limit is not None and reward.per_person_limit <= 0,
            "greater than 0",
        ),
        (
            "valid_until",
            reward.valid_from and reward.valid_until and reward.valid_until <= reward.valid_from,
            "after valid_from",
        ),
    )
    errors = [{"field": field, "msg": msg} for field, broken, msg in rules if broken]
    if errors:
        raise InvalidInput("The reward is not valid.", code="invalid_reward", errors=errors)
    try:
        reward.full_clean()
    except ValidationError as exc:
        errors = [
            {"field": field, "msg": " ".join(str(m) for m in messages)}
            for field, messages in exc.message_dict.items()
        ]
        raise InvalidInput(
            "The reward is not valid.", code="invalid_reward", errors=errors
        ) from exc
    return reward


@transaction.atomic
def reward_create(*, actor, station=None, partner=None, organisation=None, **fields) -> Reward:
    """Put a reward in the catalogue. The caller must manage rewards of the provider."""
    unknown = set(fields) - REWARD_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_fields")
    provider = station or partner or organisation
    if provider is None or sum(p is not None for p in (station, partner, organisation)) != 1:
        raise InvalidInput(
            "A reward is offered by exactly one station, partner place or merchant.",
            code="provider_required",
            errors=[{"field": "provider", "msg": "exactly one"}],
        )
    region = provider.region
    reward = Reward(
        station=station,
        partner=partner,
        organisation=organisation,
        region=region,
        city_code=region.city_code,
        **fields,
    )
    _validated(reward)
    if not _may_manage_new(actor, reward):
        raise PermissionDenied("You may not offer rewards here.", code="permission_denied")
    reward.save()
    return reward


def _may_manage_new(actor, reward: Reward) -> bool:
    """A reward not saved yet cannot be checked by query: check the grants against the
    provider it names, as the scopes registered for rewards do."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    for grant in grants_for(actor):
        if "reward.manage" not in registry.role_actions.get(grant.role, ()):
            continue
        kind, value = grant.scope
        if kind == "region" and reward.region.code.startswith(value):
            return True
        if kind == "station" and reward.station_id == value:
            return True
        if (
            kind == "organisation"
            and reward.organisation_id
            and (reward.organisation.path.startswith(value))
        ):
            return True
    return False


@transaction.atomic
def reward_update(*, actor, reward: Reward, changes: dict) -> Reward:
    unknown = set(changes) - REWARD_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_fields")
    locked = Reward.objects.select_for_update().get(pk=reward.pk)
    if not can(actor, "reward.manage", locked):
        raise PermissionDenied("You may not change this reward.", code="permission_denied")
    for field, value in changes.items():
        setattr(locked, field, value)
    _validated(locked)
    locked.save()
    return locked


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
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(
            "Send an Idempotency-Key header of 1 to 100 characters.",
            code="idempotency_key_required",
            errors=[{"field": "Idempotency-Key", "msg": "1 to 100 characters"}],
        )
    reward = (
        Reward.objects.select_related("station", "partner", "organisation")
        .filter(pk=reward_id)
        .first()
    )
    if reward is None:
        raise NotFound("No such reward.", code="reward_not_found")
    wallet = worker_account(user=user)
    provider = _provider_of(reward)
    accounts_lock([wallet.pk, provider.pk])

    earlier = Redemption.objects.filter(user=user, idempotency_key=key).first()
    if earlier is not None:
        if earlier.reward_id != reward.pk:
            raise Conflict(
                "This Idempotency-Key was used for another reward.",
                code="idempotency_key_reused",
                extra={"redemption_id": earlier.pk},
            )
        return earlier, False

    now = timezone.now()
    if not reward.is_active:
        raise Conflict("This reward is not offered now.", code="reward_inactive")
    if not (reward.valid_from <= now < reward.valid_until):
        raise Conflict(
            "This reward cannot be redeemed at this time.",
            code="reward_not_in_window",
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
            "You have reached the limit for this reward.",
            code="per_person_limit",
            extra={"limit": reward.per_person_limit},
        )
    if wallet.balance < reward.price:
        # Checked again under the lock by transfer_make; this keeps stock untouched.
        raise Conflict(
            "Not enough points.",
            code="insufficient_points",
            extra={"balance": wallet.balance, "needed": reward.price},
        )
    taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise Conflict("This reward is out of stock.", code="out_of_stock")
    charge, _ = transfer_make(
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
            return redemption, True
        except IntegrityError:
            if Redemption.objects.filter(user=user, idempotency_key=key).exists():
                raise
            continue  # a code collision: draw another
    raise Conflict("Could not issue a code; try again.", code="code_exhausted")


def redemption_for_code(*, code: str) -> Redemption:
    found = Redemption.objects.select_related(*RELATED).filter(code=code_normalise(code)).first()
    if found is None:
        raise NotFound("No redemption has this code.", code="redemption_not_found")
    return found


@transaction.atomic
def redemption_fulfil(*, code: str, actor) -> Redemption:
    """Staff of the providing station or merchant hand the reward over (核销). Only an issued
    code that has not expired can be fulfilled, once."""
    normalised = code_normalise(code)
    if not normalised:
        raise InvalidInput(
            "Enter the code.", code="code_required", errors=[{"field": "code", "msg": "required"}]
        )
    redemption = Redemption.objects.select_for_update().filter(code=normalised).first()
    if redemption is None:
        raise NotFound("No redemption has this code.", code="redemption_not_found")
    if not can(actor, "redemption.fulfil", redemption):
        raise PermissionDenied("This code belongs to another provider.", code="permission_denied")
    now = timezone.now()
    if redemption.status != Redemption.Status.ISSUED:
        raise Conflict(
            f"This code is {redemption.status}.",
            code=f"redemption_{redemption.status}",
            extra={"status": redemption.status},
        )
    if redemption.expires_at <= now:
        raise Conflict(
            "This code has expired.", code="redemption_expired", extra={"status": "expired"}
        )
    redemption.status = Redemption.Status.FULFILLED
    redemption.fulfilled_at = now
    redemption.fulfilled_by = actor
    redemption.closed_at = now
    redemption.save(update_fields=["status", "fulfilled_at", "fulfilled_by", "closed_at"])
    return redemption


def _close_with_refund(redemption: Redemption, status: str, actor=None) -> Redemption:
    """Refund the points and put the unit back; the caller holds the redemption's lock."""
    reward = redemption.reward
    wallet = worker_account(user=redemption.user)
    provider = _provider_of(reward)
    accounts_lock([wallet.pk, provider.pk])
    refund, _ = transfer_make(
        debit=provider,
        credit=wallet,
        amount=redemption.price,
        reason=Transfer.Reason.REFUND,
        source_key=f"refund:{redemption.pk}",
        memo=reward.title,
        actor=actor,
    )
    Reward.objects.filter(pk=reward.pk).update(stock=F("stock") + 1)
    now = timezone.now()
    redemption.status = status
    redemption.refund = refund
    redemption.closed_at = now
    redemption.save(update_fields=["status", "refund", "closed_at"])
    return redemption


@transaction.atomic
def redemption_cancel(*, redemption_id: int, actor) -> Redemption:
    """The worker (or staff of the provider) cancels an unclaimed code: points and stock go
    back."""
    redemption = Redemption.objects.select_for_update().filter(pk=redemption_id).first()
    if redemption is None or not (
        redemption.user_id == actor.pk or can(actor, "redemption.fulfil", redemption)
    ):
        raise NotFound("No such redemption.", code="redemption_not_found")
    if redemption.status != Redemption.Status.ISSUED:
        raise Conflict(
            f"This code is {redemption.status}.",
            code=f"redemption_{redemption.status}",
            extra={"status": redemption.status},
        )
    redemption = Redemption.objects.select_related(*RELATED).get(pk=redemption.pk)
    return _close_with_refund(redemption, Redemption.Status.CANCELLED, actor)


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
            row = Redemption.objects.select_related(*RELATED).get(pk=pk)
            _close_with_refund(row, Redemption.Status.EXPIRED)
            notification_send(
                recipients=[row.user_id],
                kind="points.redemption_expired",
                params={"reward": row.reward.title, "points": row.price},
                url=f"/rewards/codes/{row.code}/",
            )
            done += 1
    return done
