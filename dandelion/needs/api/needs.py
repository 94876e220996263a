"""Needs: submit, list, read, and the actions of the one transition table."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.catalog.selectors import item_find
from dandelion.core.api import problems
from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.core.permissions import can

from .. import selectors, services
from ..errors import NeedsError
from ..payloads import need_detail_payload, need_payload, review_payload
from .schemas import (
    ContactOut,
    DispatchIn,
    NeedDetailOut,
    NeedFilters,
    NeedIn,
    NeedOut,
    NoteIn,
    OptionalReasonIn,
    RateIn,
    ReasonIn,
    ResolveIn,
    ReviewCloseIn,
    ReviewOut,
)

router = Router(tags=["needs"])


def detail(request: HttpRequest, need_id: int) -> dict:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return need_detail_payload(
        need,
        actions=selectors.actions_allowed(actor=request.user, need=need),
        show_worker=need.worker_id != request.user.pk or can(request.user, "need.dispatch", need),
    )


def _item(code: str | None):
    if code in (None, "", "other"):
        return None
    item = item_find(code=code)
    if item is None:
        raise InvalidInput(
            _("服务清单中没有这项服务。"),
            code=NeedsError.INVALID_NEED,
            errors=[field_error("item", NeedsError.UNKNOWN_ITEM, _("请从服务清单中选择"))],
        )
    return item


@router.post(
    "/needs",
    response={200: NeedDetailOut, 201: NeedDetailOut, **problems(429)},
    operation_id="needs_create",
    summary="Submit a need (小哥点单)",
    description=(
        "A menu item (or `other`), a description, answers to the item's questions, an optional "
        "place. A routing rule dispatches it at once; otherwise it waits for a dispatcher. "
        "A retry with the same `client_token` answers 200 with the first need. A worker who "
        "has submitted too many needs lately is told how long to wait (429, `Retry-After`)."
    ),
)
def needs_create(request: HttpRequest, payload: NeedIn):
    need, created = services.need_submit(
        worker=request.user,
        item=_item(payload.item),
        description=payload.description,
        answers=payload.answers,
        address=payload.address,
        lat=payload.lat,
        lng=payload.lng,
        region_code=payload.region,
        urgency=payload.urgency,
        client_token=payload.client_token,
    )
    return (201 if created else 200), detail(request, need.pk)


@router.get(
    "/needs",
    response=list[NeedOut],
    operation_id="needs_list",
    summary="Needs: a worker's own; the queue of a dispatcher's region or a handler's department",
)
@paginate(Paged)
def needs_list(request: HttpRequest, filters: Query[NeedFilters]):
    qs = selectors.need_list(
        actor=request.user,
        mine=filters.mine,
        states=filters.state,
        item_code=filters.item,
        overdue=filters.overdue,
        region_code=filters.region,
    )
    return SerialisedPage(qs, need_payload)


@router.get(
    "/needs/reviews",
    response=list[ReviewOut],
    operation_id="needs_reviews_list",
    summary="Low ratings (two stars or fewer) waiting for the dispatcher's review",
)
@paginate(Paged)
def needs_reviews_list(request: HttpRequest, state: str = "open"):
    if state not in ("open", "closed"):
        raise InvalidInput(
            _("状态只能是 open 或 closed。"),
            code=CoreError.VALIDATION_ERROR,
            errors=[field_error("state", CoreError.INVALID_INPUT, _("请选择 open 或 closed"))],
        )
    return SerialisedPage(selectors.review_list(actor=request.user, state=state), review_payload)


@router.post(
    "/needs/reviews/{review_id}/close",
    response={200: ReviewOut, **problems(404, 409)},
    operation_id="needs_review_close",
    summary="Conclude the review of a low rating",
)
def needs_review_close(request: HttpRequest, review_id: int, payload: ReviewCloseIn):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    services.review_close(review=review, actor=request.user, note=payload.note)
    return review_payload(selectors.review_get(actor=request.user, review_id=review_id))


@router.get(
    "/needs/{need_id}",
    response={200: NeedDetailOut, **problems(404)},
    operation_id="needs_get",
    summary="One need with its timeline and the actions the caller may take",
)
def needs_get(request: HttpRequest, need_id: int):
    return detail(request, need_id)


@router.post(
    "/needs/{need_id}/contact",
    response={200: ContactOut, **problems(403, 404)},
    operation_id="needs_contact",
    summary="Reveal the worker's full phone number (the staff handling the need; audited)",
    description=(
        "For the department the need is routed to and the dispatchers and admins of its region, "
        "so they can call the worker back. Each call is written to the audit log and to the "
        "need's timeline (as the office, never the person). 403 for callers who may call no "
        "worker; 404 alike for a need outside the caller's work and for no such need."
    ),
)
def needs_contact(request: HttpRequest, need_id: int):
    need = selectors.need_for_contact(actor=request.user, need_id=need_id)
    return {"phone": services.need_contact_reveal(need=need, actor=request.user)}


def _act(request: HttpRequest, need_id: int, action: str, **details) -> dict:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    services.need_transition(need=need, action=action, actor=request.user, **details)
    return detail(request, need_id)


@router.post(
    "/needs/{need_id}/dispatch",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_dispatch",
    summary="Send the need to a department, or re-route it (dispatchers) (政府派单)",
)
def needs_dispatch(request: HttpRequest, need_id: int, payload: DispatchIn):
    department = selectors.department_find(department_id=payload.department_id)
    if department is None:
        raise InvalidInput(
            _("没有这个部门。"),
            code=CoreError.INVALID_INPUT,
            errors=[field_error("department_id", NeedsError.UNKNOWN_DEPARTMENT, _("没有这个部门"))],
        )
    return _act(request, need_id, "dispatch", department=department, note=payload.note)


@router.post(
    "/needs/{need_id}/accept",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_accept",
    summary="Take the need (the department's handlers) (部门接单)",
)
def needs_accept(request: HttpRequest, need_id: int, payload: NoteIn):
    return _act(request, need_id, "accept", note=payload.note)


@router.post(
    "/needs/{need_id}/decline",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_decline",
    summary="Send the need back to the dispatch queue with a reason (the department's handlers)",
)
def needs_decline(request: HttpRequest, need_id: int, payload: ReasonIn):
    return _act(request, need_id, "decline", note=payload.reason)


@router.post(
    "/needs/{need_id}/start",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_start",
    summary="Start handling an accepted need",
)
def needs_start(request: HttpRequest, need_id: int, payload: NoteIn):
    return _act(request, need_id, "start", note=payload.note)


@router.post(
    "/needs/{need_id}/resolve",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_resolve",
    summary="Mark the need resolved, saying what was done",
)
def needs_resolve(request: HttpRequest, need_id: int, payload: ResolveIn):
    return _act(request, need_id, "resolve", note=payload.note)


@router.post(
    "/needs/{need_id}/rate",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_rate",
    summary="Rate the handling, 1–5 stars (the worker) (小哥评单)",
    description="Two stars or fewer opens a review for the dispatcher.",
)
def needs_rate(request: HttpRequest, need_id: int, payload: RateIn):
    return _act(
        request, need_id, "rate", stars=payload.stars, tags=payload.tags, comment=payload.comment
    )


@router.post(
    "/needs/{need_id}/reopen",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_reopen",
    summary="Reopen a resolved need within 7 days (the worker)",
)
def needs_reopen(request: HttpRequest, need_id: int, payload: ReasonIn):
    return _act(request, need_id, "reopen", note=payload.reason)


@router.post(
    "/needs/{need_id}/cancel",
    response={200: NeedDetailOut, **problems(404, 409)},
    operation_id="needs_cancel",
    summary="Cancel the need before a department accepts it (the worker)",
)
def needs_cancel(request: HttpRequest, need_id: int, payload: OptionalReasonIn):
    return _act(request, need_id, "cancel", note=payload.reason)
