"""The rewards catalogue and redeeming with an Idempotency-Key."""

from django.http import HttpRequest
from ninja import Header, Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import redemption_payload, reward_payload
from .schemas import RedemptionOut, RewardFilters, RewardOut

router = Router(tags=["points"])


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
    response={200: RewardOut, **problems(404)},
    operation_id="rewards_get",
    summary="One reward",
    auth=None,
)
def rewards_get(request: HttpRequest, reward_id: int):
    return reward_payload(selectors.reward_find(reward_id=reward_id))


@router.post(
    "/rewards/{reward_id}/redeem",
    response={200: RedemptionOut, 201: RedemptionOut, **problems(404, 409)},
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
