"""Micro-wishes: the public wall, a worker's wishes, pledges and confirmation, and the review
of wishes where a region asks for it."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.errors import InvalidInput, field_error
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.core.permissions import require

from .. import selectors, services
from ..errors import NeedsError
from ..payloads import my_wish_payload, pledge_payload, wish_payload
from .schemas import MyWishOut, PledgeIn, PledgeOut, WishFilters, WishIn, WishOut, WishRejectIn

router = Router(tags=["wishes"])


@router.get(
    "/wishes",
    response=list[WishOut],
    operation_id="wishes_wall",
    summary="The public wish wall: open wishes, with no identity of who made them",
    auth=None,
)
@paginate(Paged)
def wishes_wall(request: HttpRequest, filters: Query[WishFilters]):
    return SerialisedPage(selectors.wish_wall(region_code=filters.region), wish_payload)


@router.get(
    "/wishes/mine",
    response=list[MyWishOut],
    operation_id="wishes_mine",
    summary="The caller's own wishes",
)
@paginate(Paged)
def wishes_mine(request: HttpRequest):
    return SerialisedPage(selectors.wishes_of(user=request.user), my_wish_payload)


@router.post(
    "/wishes",
    response={201: MyWishOut, **problems(429)},
    operation_id="wishes_create",
    summary="Publish a micro-wish (微心愿), on its own or from one of the caller's needs",
    description=(
        "A worker who has published too many wishes lately is told how long to wait "
        "(429, `Retry-After`)."
    ),
)
def wishes_create(request: HttpRequest, payload: WishIn):
    need = None
    if payload.need_id is not None:
        need = selectors.own_need_find(actor=request.user, need_id=payload.need_id)
        if need is None:
            raise InvalidInput(
                _("没有这条你的诉求。"),
                code=NeedsError.INVALID_WISH,
                errors=[field_error("need_id", NeedsError.NOT_YOUR_NEED, _("这不是你的诉求"))],
            )
    wish = services.wish_create(
        worker=request.user, title=payload.title, description=payload.description, need=need
    )
    return 201, my_wish_payload(selectors.wishes_of(user=request.user).get(pk=wish.pk))


@router.get(
    "/wishes/review",
    response={200: list[WishOut], **problems()},
    operation_id="wishes_review_queue",
    summary="Wishes waiting for the caller's review, oldest first (region staff)",
)
@paginate(Paged)
def wishes_review_queue(request: HttpRequest):
    require(request.user, "wish.moderate")
    return SerialisedPage(selectors.wishes_awaiting_review(actor=request.user), wish_payload)


@router.get(
    "/wishes/{wish_id}",
    response={200: WishOut, **problems(404)},
    operation_id="wishes_get",
    summary="One wish as the wall shows it",
    auth=None,
)
def wishes_get(request: HttpRequest, wish_id: int):
    return wish_payload(selectors.wish_get(wish_id=wish_id, viewer=request.user))


@router.post(
    "/wishes/{wish_id}/pledge",
    response={201: PledgeOut, **problems(404, 409)},
    operation_id="wishes_pledge",
    summary="Pledge to fulfil a wish within 7 days (organisations, merchants, volunteers)",
)
def wishes_pledge(request: HttpRequest, wish_id: int, payload: PledgeIn):
    wish = selectors.wish_get(wish_id=wish_id, viewer=request.user)
    pledge = services.wish_pledge(
        wish=wish,
        pledger=request.user,
        kind=payload.kind,
        display_name=payload.display_name,
        message=payload.message,
    )
    return 201, pledge_payload(pledge)


def _own_wish(request: HttpRequest, wish_id: int):
    return selectors.own_wish_get(actor=request.user, wish_id=wish_id)


@router.post(
    "/wishes/{wish_id}/confirm",
    response={200: MyWishOut, **problems(404, 409)},
    operation_id="wishes_confirm",
    summary="Confirm the wish came true (the worker who made it)",
)
def wishes_confirm(request: HttpRequest, wish_id: int):
    services.wish_confirm(wish=_own_wish(request, wish_id), actor=request.user)
    return my_wish_payload(selectors.wishes_of(user=request.user).get(pk=wish_id))


@router.post(
    "/wishes/{wish_id}/withdraw",
    response={200: MyWishOut, **problems(404, 409)},
    operation_id="wishes_withdraw",
    summary="Take a wish down (the worker who made it)",
)
def wishes_withdraw(request: HttpRequest, wish_id: int):
    services.wish_withdraw(wish=_own_wish(request, wish_id), actor=request.user)
    return my_wish_payload(selectors.wishes_of(user=request.user).get(pk=wish_id))


@router.post(
    "/wishes/pledges/{pledge_id}/withdraw",
    response={200: PledgeOut, **problems(404, 409)},
    operation_id="wishes_pledge_withdraw",
    summary="Give up a pledge; the wish returns to the wall",
)
def wishes_pledge_withdraw(request: HttpRequest, pledge_id: int):
    pledge = selectors.own_pledge_get(actor=request.user, pledge_id=pledge_id)
    return pledge_payload(services.pledge_withdraw(pledge=pledge, actor=request.user))


@router.post(
    "/wishes/{wish_id}/approve",
    response={200: WishOut, **problems(404, 409)},
    operation_id="wishes_approve",
    summary="Let a wish waiting for review onto the wall (region staff)",
)
def wishes_approve(request: HttpRequest, wish_id: int):
    wish = selectors.wish_for_review(actor=request.user, wish_id=wish_id)
    return wish_payload(services.wish_approve(wish=wish, actor=request.user))


@router.post(
    "/wishes/{wish_id}/reject",
    response={200: WishOut, **problems(404, 409)},
    operation_id="wishes_reject",
    summary="Keep a wish off the wall, with the reason its author is told (region staff)",
)
def wishes_reject(request: HttpRequest, wish_id: int, payload: WishRejectIn):
    wish = selectors.wish_for_review(actor=request.user, wish_id=wish_id)
    return wish_payload(services.wish_reject(wish=wish, actor=request.user, reason=payload.reason))
