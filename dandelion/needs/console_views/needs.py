"""The console's need pages: the dispatch queue, the department queue, every need in scope,
the overdue list, a need's detail with only the actions the caller may take, and reviews of
low ratings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dandelion.catalog.selectors import items_active
from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.permissions import can

from .. import selectors, services
from ..models import Need, NeedReview
from ..payloads import need_detail_payload
from ..workflow import ACTION_LABELS, NEED
from .common import PAGE_SIZE, page_required, query_without_page

S = Need.State


def _queue(request, *, title: str, action: str, states=(), overdue=None, show_state=False, key=""):
    item = request.GET.get("item", "")
    only_overdue = overdue if overdue is not None else (request.GET.get("overdue") == "1" or None)
    state = request.GET.get("state", "")
    chosen_states = [state] if state in S.values else list(states)
    try:
        qs = selectors.need_queue(
            actor=request.user,
            action=action,
            states=chosen_states,
            item_code=item or None,
            overdue=only_overdue,
        )
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/console/queue.html",
        {
            "title": title,
            "key": key,
            "page": page,
            "query": query_without_page(request),
            "now": timezone.now(),
            "items": items_active(),
            "filters": {"item": item, "overdue": request.GET.get("overdue", ""), "state": state},
            "show_state": show_state,
            "states": S.choices,
            "fixed_overdue": overdue is not None,
        },
    )


@console_required
def dispatch_queue(request):
    return _queue(
        request, title=_("派单队列"), action="need.dispatch", states=(S.SUBMITTED,), key="dispatch"
    )


@console_required
def department_queue(request):
    return _queue(
        request,
        title=_("部门接单"),
        action="need.accept",
        states=(S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS),
        show_state=True,
        key="department",
    )


@console_required
def all_needs(request):
    return _queue(request, title=_("全部诉求"), action="need.view", show_state=True, key="all")


@console_required
def overdue(request):
    return _queue(
        request,
        title=_("超时督办"),
        action="need.dispatch",
        overdue=True,
        show_state=True,
        key="overdue",
    )


def _need_or_404(request, need_id: int) -> Need:
    try:
        return selectors.need_get(actor=request.user, need_id=need_id)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None


def _detail(request, need: Need, *, errors=None, values=None, status=200, phone=None):
    actions = selectors.actions_allowed(actor=request.user, need=need)
    payload = need_detail_payload(need, actions=actions, show_worker=True)
    return render(
        request,
        "needs/console/detail.html",
        {
            "need": need,
            "payload": payload,
            "actions": actions,
            "departments": (
                selectors.departments_for_dispatch(actor=request.user)
                if "dispatch" in actions
                else []
            ),
            "escalations": list(need.escalations.all()),
            "may_contact": can(request.user, "need.contact_worker", need),
            "revealed_phone": phone,
            "action_error": " ".join((errors or {}).values()),
            "values": values or {},
            "now": timezone.now(),
        },
        status=status,
    )


@console_required
def need_detail(request, need_id: int):
    return _detail(request, _need_or_404(request, need_id))


@console_required
@require_POST
def need_action(request, need_id: int, action: str):
    if action not in NEED.actions or action in ("rate", "reopen"):
        raise Http404
    need = _need_or_404(request, need_id)
    values = {
        "action": action,
        "note": request.POST.get("note", ""),
        "department_id": request.POST.get("department_id", ""),
    }
    details: dict = {"note": values["note"]}
    if action == "dispatch":
        department_id = values["department_id"]
        details["department"] = (
            selectors.department_for_dispatch(actor=request.user, department_id=department_id)
            if department_id.isdecimal()
            else None
        )
    try:
        services.need_transition(need=need, action=action, actor=request.user, **details)
    except ApplicationError as exc:
        need = _need_or_404(request, need_id)
        errors = show_error(exc, fields=("note", "department_id"))
        return _detail(request, need, errors=errors, values=values, status=exc.status)
    messages.success(request, _("已完成：%(action)s") % {"action": _action_label(action)})
    if can(request.user, "need.view", need):
        return redirect("needs_console:detail", need_id=need_id)
    return redirect("needs_console:dispatch_queue")


@console_required
@require_POST
def need_contact(request, need_id: int):
    """Reveal the worker's phone on the need's page (one audited read); the number is in this
    response only, never in a link or the session."""
    try:
        need = selectors.need_for_contact(actor=request.user, need_id=need_id)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    phone = services.need_contact_reveal(need=need, actor=request.user)
    return _detail(request, _need_or_404(request, need_id), phone=phone)


def _action_label(action: str) -> str:
    return str(ACTION_LABELS[action])


@console_required
def reviews(request):
    page_required(request.user, "need_review.close")
    state = request.GET.get("state", NeedReview.State.OPEN)
    if state not in NeedReview.State.values:
        state = NeedReview.State.OPEN
    page = Paginator(selectors.review_list(actor=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "needs/console/reviews.html",
        {"page": page, "state": state, "query": query_without_page(request)},
    )


@console_required
@require_POST
def review_close(request, review_id: int):
    try:
        review = selectors.review_get(actor=request.user, review_id=review_id)
        services.review_close(review=review, actor=request.user, note=request.POST.get("note", ""))
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except ApplicationError as exc:
        for message in show_error(exc).values():
            messages.error(request, message)
    else:
        messages.success(request, _("复核已完成"))
    return redirect("needs_console:reviews")
