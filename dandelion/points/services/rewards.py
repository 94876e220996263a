"""The rewards catalogue (积分兑换): a provider's staff put rewards on offer and change them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    CoreError,
    InvalidInput,
    PermissionDenied,
    field_error,
    invalid_from_validation,
)
from dandelion.core.permissions import can

from ..errors import PointsError
from ..models import Reward

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


def _unknown_fields(unknown: set[str]) -> InvalidInput:
    return InvalidInput(
        _("不认识的字段：%(fields)s。") % {"fields": ", ".join(sorted(unknown))},
        code=PointsError.UNKNOWN_FIELDS,
        errors=[
            field_error(name, PointsError.UNKNOWN_FIELDS, _("不认识这个字段。"))
            for name in sorted(unknown)
        ],
    )


def _validated(reward: Reward) -> Reward:
    """The reward's own rules, then the model's, as one `InvalidInput` naming the fields."""
    broken = (
        ("price", reward.price is not None and reward.price <= 0, _("所需积分必须大于 0。")),
        (
            "per_person_limit",
            reward.per_person_limit is not None and reward.per_person_limit <= 0,
            _("每人限兑必须大于 0。"),
        ),
        (
            "valid_until",
            reward.valid_from and reward.valid_until and reward.valid_until <= reward.valid_from,
            _("截止时间必须晚于开始时间。"),
        ),
    )
    errors = [
        field_error(field, PointsError.INVALID_REWARD, msg) for field, bad, msg in broken if bad
    ]
    if errors:
        raise InvalidInput(errors[0]["msg"], code=PointsError.INVALID_REWARD, errors=errors)
    try:
        reward.full_clean()
    except ValidationError as exc:
        raise invalid_from_validation(exc, code=PointsError.INVALID_REWARD) from None
    return reward


@transaction.atomic
def reward_create(*, actor, station=None, partner=None, organisation=None, **fields) -> Reward:
    """Put a reward in the catalogue. The caller must manage rewards of the provider: the new
    row is checked like any other (`reward.manage` on it) before the transaction commits, so a
    refusal writes nothing."""
    unknown = set(fields) - REWARD_FIELDS
    if unknown:
        raise _unknown_fields(unknown)
    provider = station or partner or organisation
    if provider is None or sum(p is not None for p in (station, partner, organisation)) != 1:
        message = _("兑换商品须由一个驿站、合作点位或商户提供。")
        raise InvalidInput(
            message,
            code=PointsError.PROVIDER_REQUIRED,
            errors=[field_error("provider", PointsError.PROVIDER_REQUIRED, message)],
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
    reward.save()
    if not can(actor, "reward.manage", reward):
        # Raised inside the transaction: the row just written is rolled back with it.
        raise PermissionDenied(
            _("你不能在这里上架兑换商品。"),
            code=CoreError.PERMISSION_DENIED,
            extra={"action": "reward.manage"},
        )
    return reward


@transaction.atomic
def reward_update(*, actor, reward: Reward, changes: dict) -> Reward:
    unknown = set(changes) - REWARD_FIELDS
    if unknown:
        raise _unknown_fields(unknown)
    locked = Reward.objects.select_for_update().get(pk=reward.pk)
    if not can(actor, "reward.manage", locked):
        raise PermissionDenied(
            _("你不能修改这个兑换商品。"),
            code=CoreError.PERMISSION_DENIED,
            extra={"action": "reward.manage"},
        )
    for field, value in changes.items():
        setattr(locked, field, value)
    _validated(locked)
    locked.save()
    return locked
