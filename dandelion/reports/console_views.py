"""The staff console's report pages: the triage queue and one report with its photos, history
and actions (status with a public note, re-routing, merging a duplicate).

Each action posts to the detail page and calls the same service as the API; a refusal shows
beside its form with what was typed kept. Scope: the queue lists only the caller's reports
(`report.view_staff`), and each action checks its own permission in the service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dandelion.core.console import console_required
from dandelion.core.errors import (
    ApplicationError,
    CoreError,
    ErrorCode,
    InvalidInput,
    NotFound,
    PermissionDenied,
    field_error,
)
from dandelion.core.forms import show_error
from dandelion.core.permissions import can
from dandelion.orgs.selectors import organisations_active_visible

from . import selectors, services
from .errors import ReportsError
from .payloads import staff_report_payload
from .statuses import Status, status_label
from .workflow import staff_targets

QUEUE_PAGE_SIZE = 25
QUEUES = {
    "triage": [Status.FOR_TRIAGE, Status.REOPEN],
    "working": [Status.OPEN, Status.INVESTIGATING, Status.ACTION_SCHEDULED, Status.IN_PROGRESS],
    "fixed": [Status.FIXED],
    "done": [Status.CLOSED, Status.DUPLICATE, Status.NO_FURTHER_ACTION, Status.INTERNAL_REFERRAL],
    "all": [],
}


def _queue_tabs():
    return [
        ("triage", _("待分拣")),
        ("working", _("处理中")),
        ("fixed", _("待确认")),
        ("done", _("已办结")),
        ("all", _("全部")),
    ]


@console_required
@require_GET
def report_queue(request):
    queue = request.GET.get("queue", "triage")
    if queue not in QUEUES:
        queue = "triage"
    category = request.GET.get("category", "")
    text = request.GET.get("q", "").strip()[:100]
    unrouted = request.GET.get("unrouted") == "1"
    try:
        qs = selectors.report_queue(
            actor=request.user,
            statuses=QUEUES[queue],
            category_codes=[category] if category else None,
            unrouted=unrouted,
            text=text,
        )
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    page = Paginator(qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    selectors.mark_contactable(request.user, reports)
    rows = [staff_report_payload(r, actor=request.user) for r in reports]
    return render(
        request,
        "reports/console/queue.html",
        {
            "rows": rows,
            "page": page,
            "queue": queue,
            "tabs": _queue_tabs(),
            "categories": selectors.category_list(),
            "filters": {"category": category, "q": text, "unrouted": unrouted},
        },
    )


def _organisations_for(user):
    return organisations_active_visible(actor=user, handlers_only=True)[:200]


def _detail_context(request, report_id: int) -> dict:
    try:
        report = selectors.report_staff_get(actor=request.user, report_id=report_id)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    user = request.user
    payload = staff_report_payload(report, actor=user)
    may_route = can(user, "report.route", report)
    return {
        "report": payload,
        "next_statuses": [
            (s, status_label(s)) for s in staff_targets(report.status) if s != Status.DUPLICATE
        ],
        "can_update": can(user, "report.update_status", report),
        "can_route": may_route and not report.is_closed,
        "can_duplicate": can(user, "report.mark_duplicate", report)
        and Status.DUPLICATE in staff_targets(report.status),
        "organisations": _organisations_for(user) if may_route else [],
        "errors": {},
        "values": {},
    }


def _posted_id(post, name: str, message: str, code: ErrorCode) -> int:
    """A row id typed or chosen in a form (`#123` or `123`); anything else, including a number
    longer than any id, is refused beside the field."""
    raw = (post.get(name) or "").strip().lstrip("#")
    if not raw.isdecimal() or len(raw) > 18:
        raise InvalidInput(message, code=code, errors=[field_error(name, code, message)])
    return int(raw)


def _expected_at(raw: str):
    """The form's `datetime-local` value (no offset: the site's time zone), or None if empty."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:  # well formed but not on the calendar: 2026-02-30T10:00
        moment = None
    if moment is None:
        message = _("请填写有效的预计完成时间")
        code = CoreError.INVALID_INPUT
        raise InvalidInput(message, code=code, errors=[field_error("expected_at", code, message)])
    return make_aware(moment) if is_naive(moment) else moment


# The fields each action's form shows errors beside; the rest go under the form's first field.
FORM_FIELDS = {"status": ("note", "expected_at"), "route": (), "duplicate": ()}


def _form_errors(exc: ApplicationError, form: str) -> dict[str, str]:
    """`{"<form>.<field>": sentence, "<form>": sentence}` for the action's form."""
    placed = show_error(exc, fields=FORM_FIELDS.get(form, ()))
    errors = {f"{form}.{field}": sentence for field, sentence in placed.items() if field}
    if "" in placed:
        errors[form] = placed[""]
    return errors


@console_required
@require_http_methods(["GET", "POST"])
def report_detail(request, report_id: int):
    if request.method == "POST":
        action = request.POST.get("action", "")
        post = request.POST
        try:
            if action == "status":
                services.report_status_change(
                    report_id=report_id,
                    actor=request.user,
                    status=post.get("status", ""),
                    note=post.get("note", ""),
                    expected_at=_expected_at(post.get("expected_at", "")),
                )
                messages.success(request, _("状态已更新，报告人会收到通知。"))
            elif action == "route":
                services.report_route(
                    report_id=report_id,
                    actor=request.user,
                    organisation_id=_posted_id(
                        post,
                        "organisation_id",
                        _("请选择处置单位"),
                        ReportsError.INVALID_ORGANISATION,
                    ),
                    note=post.get("note", ""),
                )
                messages.success(request, _("已改派。"))
            elif action == "duplicate":
                services.report_mark_duplicate(
                    report_id=report_id,
                    actor=request.user,
                    original_id=_posted_id(
                        post, "original_id", _("请填写原报告编号"), CoreError.INVALID_INPUT
                    ),
                    note=post.get("note", ""),
                )
                messages.success(request, _("已合并为重复问题，关注者已转到原报告。"))
            else:
                raise InvalidInput(_("未知操作"), code=CoreError.UNKNOWN_ACTION)
        except PermissionDenied:
            raise DjangoPermissionDenied from None
        except NotFound:
            raise Http404 from None
        except ApplicationError as exc:
            context = _detail_context(request, report_id)
            context["errors"] = _form_errors(exc, action)
            context["values"] = {"action": action, **post.dict()}
            return render(
                request,
                "reports/console/detail.html",
                context,
                status=409 if exc.status == 409 else 422,
            )
        return redirect("reports_console:detail", report_id=report_id)
    return render(request, "reports/console/detail.html", _detail_context(request, report_id))
