"""Redemption codes: mine, cancelling one, and staff fulfilment by code."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import redemption_payload
from .schemas import FulfilIn, RedemptionOut

router = Router(tags=["points"])


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
    response={200: RedemptionOut, **problems(404, 409)},
    operation_id="redemptions_cancel",
    summary="Cancel an unclaimed code: the points and the unit go back",
    description="409 `illegal_transition` names the code's state (fulfilled, expired, cancelled).",
)
def redemptions_cancel(request: HttpRequest, redemption_id: int):
    redemption = services.redemption_cancel(redemption_id=redemption_id, actor=request.user)
    return redemption_payload(redemption)


@router.post(
    "/redemptions/fulfil",
    response={200: RedemptionOut, **problems(404, 409)},
    operation_id="redemptions_fulfil",
    summary="Staff of the providing station or merchant hand the reward over by its code",
    description=(
        "403 `permission_denied` for a caller who may fulfil codes nowhere, whatever the code; "
        "for staff, 404 `not_found` for another provider's code exactly as for an unknown one. "
        "409 `illegal_transition` names the code's state (fulfilled, expired, cancelled)."
    ),
)
def redemptions_fulfil(request: HttpRequest, payload: FulfilIn):
    redemption = services.redemption_fulfil(code=payload.code, actor=request.user)
    return redemption_payload(redemption)
