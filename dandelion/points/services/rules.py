"""Awards by earning rule (积分规则): which rule applies, how much is left under its caps, and
the award itself, keyed by its source so a replayed event awards nothing twice."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, CoreError, InvalidInput, NotFound, field_error
from dandelion.core.permissions import require
from dandelion.regions.selectors import region_get

from ..errors import PointsError
from ..models import Account, EarningRule, Transfer
from .ledger import accounts_lock, issuer_account, transfer_make, worker_account

logger = logging.getLogger(__name__)

Event = EarningRule.Event


def region_code_chain(code: str) -> list[str]:
    """The codes of `code` and every division that contains it, most specific first:
    360403001001 → 360403001001, 360403001, 360403, 360400, 360000."""
    code = (code or "").strip()
    chain = []
    if len(code) == 12:
        chain.append(code)
    if len(code) >= 9:
        chain.append(code[:9])
    if len(code) >= 6:
        chain += [code[:6], code[:4] + "00", code[:2] + "0000"]
    seen: list[str] = []
    for item in chain:
        if item not in seen:
            seen.append(item)
    return seen


def rule_for(*, event: str, region_code: str) -> EarningRule | None:
    """The active rule of the most specific region containing `region_code`."""
    chain = region_code_chain(region_code)
    if not chain:
        return None
    rules = EarningRule.objects.filter(
        event=event, is_active=True, region__code__in=chain
    ).select_related("region")
    by_code = {rule.region.code: rule for rule in rules}
    return next((by_code[code] for code in chain if code in by_code), None)


def _period_starts(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime, datetime]:
    local = moment.astimezone(zone)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = day.replace(day=1)
    return day, day + timedelta(days=1), month


def _awarded_between(account: Account, event: str, start: datetime, end: datetime) -> int:
    total = Transfer.objects.filter(
        credit=account,
        reason=Transfer.Reason.AWARD,
        event=event,
        occurred_at__gte=start,
        occurred_at__lt=end,
        reversed_by__isnull=True,
    ).aggregate(total=Sum("amount"))["total"]
    return total or 0


def cap_remaining(*, rule: EarningRule, account: Account, occurred_at: datetime) -> int | None:
    """Points the worker may still earn under the rule's caps on that local day and month
    (None: no cap). Reversed awards do not count."""
    zone = ZoneInfo(rule.region.timezone or "Asia/Shanghai")
    day, next_day, month = _period_starts(occurred_at, zone)
    next_month = (month + timedelta(days=32)).replace(day=1)
    left = []
    if rule.daily_cap is not None:
        left.append(rule.daily_cap - _awarded_between(account, rule.event, day, next_day))
    if rule.monthly_cap is not None:
        left.append(rule.monthly_cap - _awarded_between(account, rule.event, month, next_month))
    return max(0, min(left)) if left else None


@dataclass(frozen=True)
class AwardResult:
    transfer: Transfer | None
    created: bool
    points: int
    note: str  # "awarded", "duplicate", "no_rule", "unverified", "capped", "no_points"


@transaction.atomic
def award_by_rule(
    *,
    user,
    event: str,
    region_code: str,
    source_key: str,
    occurred_at: datetime | None = None,
    quantity: float = 1,
    points_per_unit: int | None = None,
    memo: str = "",
    actor=None,
    verified: bool = True,
) -> AwardResult:
    """Award `quantity` × the rule's points (or `points_per_unit`, e.g. an activity's points
    per hour, still under the rule's caps) to `user` for `event` in `region_code`.
    `verified`: whether the source proved presence (a station visit whose device location was
    checked); a rule that `requires_verified` awards nothing without it.

    The rule of the most specific region decides; its caps are counted per worker in the
    region's local day and month of `occurred_at`, under the lock of the worker's account so
    two concurrent awards cannot both use the last of a cap. `source_key` is the idempotency
    key: an award already made for it is returned and nothing new is written. The points are
    paid from the rule region's issuing account (409 when it is not funded enough).
    """
    if event not in Event.values:
        raise InvalidInput(
            _("不认识的积分事件：%(event)s。") % {"event": event},
            code=PointsError.UNKNOWN_EVENT,
            errors=[field_error("event", PointsError.UNKNOWN_EVENT, _("不认识这个积分事件。"))],
        )
    occurred_at = occurred_at or timezone.now()
    existing = Transfer.objects.filter(source_key=source_key).first()
    if existing is not None:
        return AwardResult(existing, False, existing.amount, "duplicate")
    rule = rule_for(event=event, region_code=region_code)
    if rule is None:
        return AwardResult(None, False, 0, "no_rule")
    if rule.requires_verified and not verified:
        return AwardResult(None, False, 0, "unverified")
    per_unit = rule.points if points_per_unit is None else points_per_unit
    points = round(per_unit * quantity)
    if points <= 0:
        return AwardResult(None, False, 0, "no_points")
    wallet = worker_account(user=user)
    issuer = issuer_account(region=rule.region)
    accounts_lock([wallet.pk, issuer.pk])
    existing = Transfer.objects.filter(source_key=source_key).first()
    if existing is not None:
        return AwardResult(existing, False, existing.amount, "duplicate")
    remaining = cap_remaining(rule=rule, account=wallet, occurred_at=occurred_at)
    if remaining is not None:
        points = min(points, remaining)
    if points <= 0:
        return AwardResult(None, False, 0, "capped")
    transfer, created = transfer_make(
        debit=issuer,
        credit=wallet,
        amount=points,
        reason=Transfer.Reason.AWARD,
        source_key=source_key,
        memo=memo or str(rule.get_event_display()),
        event=event,
        occurred_at=occurred_at,
        actor=actor,
    )
    return AwardResult(transfer, created, transfer.amount, "awarded" if created else "duplicate")


def award_from_event(**kwargs) -> AwardResult | None:
    """For event handlers: award, and log instead of failing when the region's issuing
    account is short (the event can be delivered again once it is funded)."""
    try:
        return award_by_rule(**kwargs)
    except Conflict as exc:
        logger.warning("points award %s not made: %s", kwargs.get("source_key"), exc.message)
        return None


def _invalid(field: str, code: PointsError, message) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[field_error(field, code, message)])


@transaction.atomic
def award_manual(
    *, actor, user_id: int, event: str, region_code: str, reference: str, memo: str = ""
) -> AwardResult:
    """A staff member awards a worker by rule for something the platform did not see itself,
    such as attending a training (参加培训). `reference` names the occasion; one award per
    worker, event and reference. The actor must hold `points.award` over the region; the
    worker is looked up only then (by id), so nobody else learns who exists."""
    reference = (reference or "").strip()
    if not reference:
        raise _invalid("reference", CoreError.REQUIRED, _("请填写培训或活动的名称。"))
    try:
        region = region_get(code=region_code)
    except NotFound:
        raise _invalid("region_code", PointsError.UNKNOWN_REGION, _("没有这个区划。")) from None
    require(actor, "points.award", region)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise _invalid("user_id", PointsError.UNKNOWN_USER, _("没有这个人。"))
    return award_by_rule(
        user=user,
        event=event,
        region_code=region.code,
        source_key=f"{event}:{region.code}:{reference[:60]}:{user.pk}",
        memo=memo or reference,
        actor=actor,
    )
