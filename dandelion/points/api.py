"""The points API: my points, the rewards catalogue, redeeming with an Idempotency-Key, my
codes, staff fulfilment by code, manual awards and reversals."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import paginate

from dandelion.core.errors import InvalidInput, NotFound
from dandelion.core.pagination import MAX_PAGE_SIZE, Paged, SerialisedPage
from dandelion.core.permissions import get_permitted, require
from dandelion.core.qr import qr_svg_inline

from . import selectors, services
from .models import Redemption, Transfer

router = Router(tags=["points"])


class HistoryEntryOut(Schema):
    id: int
    amount: int = Field(description="Positive when points came in, negative when spent")
    balance_after: int
    reason: str
    reason_label: str
    memo: str
    event: str
    at: datetime


class MyPointsOut(Schema):
    balance: int
    count: int = Field(description="Entries in the whole history")
    page: int
    page_size: int
    items: list[HistoryEntryOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ProviderOut(Schema):
    kind: str = Field(description="station, partner or merchant")
    id: int
    name: str
    address: str


class RewardOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    price: int
    stock: int
    per_person_limit: int
    valid_from: datetime
    valid_until: datetime
    provider: ProviderOut
    region_code: str


class RewardFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$", description="Division code")


class RedemptionOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    price: int
    reward: RewardOut
    created_at: datetime
    expires_at: datetime
    fulfilled_at: datetime | None
    qr_svg: str = Field(description="An inline SVG QR code of the code, for the counter to scan")


class FulfilIn(Schema):
    code: str = Field(min_length=1, max_length=20)


class AwardIn(Schema):
    user_id: int
    event: str = Field(description="An earning event, e.g. training_attended")
    region_code: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$")
    reference: str = Field(min_length=1, max_length=60, description="The occasion, once per worker")
    memo: str = Field("", max_length=200)


class AwardOut(Schema):
    created: bool
    points: int
    note: str
    transfer_id: int | None


class ReverseIn(Schema):
    memo: str = Field(min_length=1, max_length=200)


class TransferOut(Schema):
    id: int
    reason: str
    amount: int
    memo: str
    reverses_id: int | None
    created_at: datetime


def _entry(entry) -> dict:
    transfer = entry.transfer
    return {
        "id": entry.pk,
        "amount": entry.amount,
        "balance_after": entry.balance_after,
        "reason": transfer.reason,
        "reason_label": str(transfer.get_reason_display()),
        "memo": transfer.memo,
        "event": transfer.event,
        "at": entry.created_at,
    }


def reward_payload(reward) -> dict:
    if reward.station_id:
        provider = {
            "kind": "station",
            "id": reward.station_id,
            "name": reward.station.name,
            "address": reward.station.address,
        }
    elif reward.partner_id:
        provider = {
            "kind": "partner",
            "id": reward.partner_id,
            "name": reward.partner.name,
            "address": reward.partner.address,
        }
    else:
        provider = {
            "kind": "merchant",
            "id": reward.organisation_id,
            "name": reward.organisation.name,
            "address": "",
        }
    return {
        "id": reward.pk,
        "title": reward.title,
        "description": reward.description,
        "kind": reward.kind,
        "kind_label": str(reward.get_kind_display()),
        "price": reward.price,
        "stock": reward.stock,
        "per_person_limit": reward.per_person_limit,
        "valid_from": reward.valid_from,
        "valid_until": reward.valid_until,
        "provider": provider,
        "region_code": reward.region.code,
    }


def redemption_payload(redemption: Redemption) -> dict:
    return {
        "id": redemption.pk,
        "code": redemption.code,
        "status": redemption.status,
        "status_label": str(redemption.get_status_display()),
        "price": redemption.price,
        "reward": reward_payload(redemption.reward),
        "created_at": redemption.created_at,
        "expires_at": redemption.expires_at,
        "fulfilled_at": redemption.fulfilled_at,
        "qr_svg": qr_svg_inline(redemption.code),
    }


@router.get(
    "/me/points",
    response=MyPointsOut,
    operation_id="me_points",
    summary="My points: the balance and the history with reasons, newest first",
)
def me_points(request: HttpRequest, query: Query[PageQuery]):
    history = selectors.points_history(user=request.user)
    start = (query.page - 1) * query.page_size
    return {
        "balance": selectors.balance_of(user=request.user),
        "count": history.count(),
        "page": query.page,
        "page_size": query.page_size,
        "items": [_entry(e) for e in history[start : start + query.page_size]],
    }


@router.get(
    "/rewards",
    response=list[RewardOut],
    operation_id="rewards_list",
    summary="The rewards on offer now, cheapest first",
    auth=None,
)
@paginate(Paged)
def rewards_list(request: HttpRequest, filters: Query[RewardFilters]):
    return SerialisedPage(selectors.reward_list(region_code=filters.region), reward_payload)


@router.get(
    "/rewards/{reward_id}",
    response=RewardOut,
    operation_id="rewards_get",
    summary="One reward",
    auth=None,
)
def rewards_get(request: HttpRequest, reward_id: int):
    reward = selectors.reward_get(reward_id=reward_id)
    if reward is None:
        raise NotFound("No such reward.", code="reward_not_found")
    return reward_payload(reward)


@router.post(
    "/rewards/{reward_id}/redeem",
    response={200: RedemptionOut, 201: RedemptionOut},
    operation_id="rewards_redeem",
    summary="Redeem a reward: pays its points, reserves one unit and returns a code",
    description=(
        "Send a unique `Idempotency-Key` header per tap: retrying with the same key returns the "
        "same redemption (200) and charges nothing again; the same key for another reward is a "
        "409 `idempotency_key_reused`. 409 codes: `insufficient_points`, `out_of_stock`, "
        "`per_person_limit`, `reward_inactive`, `reward_not_in_window`."
    ),
)
def rewards_redeem(
    request: HttpRequest,
    reward_id: int,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    redemption, created = services.reward_redeem(
        reward_id=reward_id, user=request.user, idempotency_key=idempotency_key or ""
    )
    redemption = selectors.redemptions_of(user=request.user).get(pk=redemption.pk)
    return (201 if created else 200), redemption_payload(redemption)


@router.get(
    "/me/redemptions",
    response=list[RedemptionOut],
    operation_id="me_redemptions",
    summary="My redemption codes, newest first",
)
@paginate(Paged)
def me_redemptions(request: HttpRequest):
    return SerialisedPage(selectors.redemptions_of(user=request.user), redemption_payload)


@router.post(
    "/redemptions/{redemption_id}/cancel",
    response=RedemptionOut,
    operation_id="redemptions_cancel",
    summary="Cancel an unclaimed code: the points and the unit go back",
)
def redemptions_cancel(request: HttpRequest, redemption_id: int):
    redemption = services.redemption_cancel(redemption_id=redemption_id, actor=request.user)
    return redemption_payload(redemption)


@router.post(
    "/redemptions/fulfil",
    response=RedemptionOut,
    operation_id="redemptions_fulfil",
    summary="Staff of the providing station or merchant hand the reward over by its code",
)
def redemptions_fulfil(request: HttpRequest, payload: FulfilIn):
    redemption = services.redemption_fulfil(code=payload.code, actor=request.user)
    return redemption_payload(services.redemption_for_code(code=redemption.code))


@router.post(
    "/points/awards",
    response={200: AwardOut, 201: AwardOut},
    operation_id="points_award",
    summary="Award a worker by rule for something done offline (e.g. training attended)",
)
def points_award(request: HttpRequest, payload: AwardIn):
    from django.contrib.auth import get_user_model

    from dandelion.regions.models import Region

    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise InvalidInput(
            "No such region.",
            code="unknown_region",
            errors=[{"field": "region_code", "msg": "unknown"}],
        )
    require(request.user, "points.award", region)
    user = get_user_model().objects.filter(pk=payload.user_id, is_active=True).first()
    if user is None:
        raise InvalidInput(
            "No such person.", code="unknown_user", errors=[{"field": "user_id", "msg": "unknown"}]
        )
    result = services.award_manual(
        actor=request.user,
        user=user,
        event=payload.event,
        region_code=payload.region_code,
        reference=payload.reference,
        memo=payload.memo,
    )
    body = {
        "created": result.created,
        "points": result.points,
        "note": result.note,
        "transfer_id": result.transfer.pk if result.transfer else None,
    }
    return (201 if result.created else 200), body


@router.post(
    "/points/transfers/{transfer_id}/reverse",
    response=TransferOut,
    operation_id="points_transfer_reverse",
    summary="Correct a transfer by a reversing transfer, with a reason",
)
def points_transfer_reverse(request: HttpRequest, transfer_id: int, payload: ReverseIn):
    transfer = get_permitted(
        request.user,
        "points.award",
        Transfer.objects.select_related("debit", "credit"),
        pk=transfer_id,
    )
    reversal = services.transfer_reverse(transfer=transfer, memo=payload.memo, actor=request.user)
    return {
        "id": reversal.pk,
        "reason": reversal.reason,
        "amount": reversal.amount,
        "memo": reversal.memo,
        "reverses_id": reversal.reverses_id,
        "created_at": reversal.created_at,
    }
