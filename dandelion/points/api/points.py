"""My points, and the staff's manual awards and reversals."""

from django.http import HttpRequest
from ninja import Query, Router

from dandelion.core.api import problems

from .. import selectors, services
from .payloads import entry_payload, transfer_payload
from .schemas import AwardIn, AwardOut, MyPointsOut, PageQuery, ReverseIn, TransferOut

router = Router(tags=["points"])


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
        "items": [entry_payload(e) for e in history[start : start + query.page_size]],
    }


@router.post(
    "/points/awards",
    response={200: AwardOut, 201: AwardOut, **problems(409)},
    operation_id="points_award",
    summary="Award a worker by rule for something done offline (e.g. training attended)",
    description=(
        "For holders of `points.award` over the region. 422 `unknown_region` or "
        "`unknown_user` name the field; 409 `insufficient_points` when the region's issuing "
        "account is not funded enough."
    ),
)
def points_award(request: HttpRequest, payload: AwardIn):
    result = services.award_manual(
        actor=request.user,
        user_id=payload.user_id,
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
    response={200: TransferOut, **problems(404, 409)},
    operation_id="points_transfer_reverse",
    summary="Correct a transfer by a reversing transfer, with a reason",
)
def points_transfer_reverse(request: HttpRequest, transfer_id: int, payload: ReverseIn):
    transfer = selectors.transfer_for_reversal(actor=request.user, transfer_id=transfer_id)
    reversal = services.transfer_reverse(transfer=transfer, memo=payload.memo, actor=request.user)
    return transfer_payload(reversal)
