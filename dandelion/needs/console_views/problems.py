"""The console's problem pages: problems with their consultations and the raised / solved
figures."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.permissions import can
from dandelion.regions.selectors import region_find

from .. import selectors, services
from ..models import Problem
from .common import PAGE_SIZE, page_required, query_without_page


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@console_required
def problems(request):
    page_required(request.user, "problem.view")
    today = timezone.localdate()
    start = _day(request.GET.get("start", "")) or today.replace(month=1, day=1)
    end = _day(request.GET.get("end", "")) or today
    zone = timezone.get_current_timezone()
    stats = selectors.problem_stats(
        actor=request.user,
        start=datetime.combine(start, time.min, zone),
        end=datetime.combine(end + timedelta(days=1), time.min, zone),
    )
    state = request.GET.get("state", "")
    qs = selectors.problem_list(
        actor=request.user, state=state if state in Problem.State.values else None
    ).order_by("-raised_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/console/problems.html",
        {
            "page": page,
            "query": query_without_page(request),
            "stats": stats,
            "start": start,
            "end": end,
            "state": state,
            "states": Problem.State.choices,
            "can_change": can(request.user, "problem.change"),
        },
    )


@console_required
@require_http_methods(["GET", "POST"])
def problem_new(request):
    page_required(request.user, "problem.change")
    values = {
        "title": "",
        "description": "",
        "region": "",
        "need_ids": request.GET.get("needs", ""),
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "") for k in ("title", "description", "region", "need_ids")
        }
        ids = [
            int(x)
            for x in values["need_ids"].replace("，", ",").split(",")
            if x.strip().isdecimal()
        ]
        region = region_find(code=values["region"]) if values["region"] else None
        if region is None:
            errors["region"] = _("请选择区划")
        else:
            try:
                problem = services.problem_create(
                    actor=request.user,
                    title=values["title"],
                    description=values["description"],
                    region=region,
                    need_ids=ids,
                )
            except ApplicationError as exc:
                errors = show_error(exc, fields=("title", "description", "region", "need_ids"))
            else:
                return redirect("needs_console:problem", problem_id=problem.pk)
    return render(
        request,
        "needs/console/problem_new.html",
        {
            "values": values,
            "errors": errors,
            "form_error": errors.get("", ""),
            "regions": selectors.problem_regions(actor=request.user),
        },
        status=422 if errors else 200,
    )


@console_required
@require_http_methods(["GET", "POST"])
def problem_detail(request, problem_id: int):
    try:
        problem = selectors.problem_get(actor=request.user, problem_id=problem_id)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    errors: dict[str, str] = {}
    values: dict = {"held_on": timezone.localdate().isoformat(), "department_ids": []}
    status = 200
    if request.method == "POST":
        form = request.POST.get("form")
        try:
            if form == "consultation":
                values = {
                    "held_on": request.POST.get("held_on", ""),
                    "department_ids": [
                        int(x) for x in request.POST.getlist("department_ids") if x.isdecimal()
                    ],
                    "attendees": request.POST.get("attendees", ""),
                    "decisions": request.POST.get("decisions", ""),
                    "owner_id": request.POST.get("owner_id", ""),
                }
                held_on = _day(values["held_on"])
                if held_on is None:
                    errors["held_on"] = _("请选择日期")
                else:
                    services.consultation_record(
                        problem=problem,
                        actor=request.user,
                        held_on=held_on,
                        department_ids=values["department_ids"],
                        attendees=values["attendees"],
                        decisions=values["decisions"],
                        owner_id=int(values["owner_id"])
                        if values["owner_id"].isdecimal()
                        else None,
                    )
            elif form == "close":
                values = {
                    "outcome": request.POST.get("outcome", ""),
                    "note": request.POST.get("note", ""),
                }
                services.problem_close(
                    problem=problem,
                    actor=request.user,
                    outcome=values["outcome"],
                    note=values["note"],
                )
            else:
                raise Http404
        except PermissionDenied:
            raise DjangoPermissionDenied from None
        except ApplicationError as exc:
            errors = show_error(
                exc,
                fields=(
                    "held_on",
                    "department_ids",
                    "attendees",
                    "decisions",
                    "owner_id",
                    "outcome",
                    "note",
                ),
            )
        if errors:
            status = 422
            problem = selectors.problem_get(actor=request.user, problem_id=problem_id)
        else:
            messages.success(request, _("已保存"))
            return redirect("needs_console:problem", problem_id=problem_id)
    departments = selectors.departments_for_dispatch(actor=request.user)
    return render(
        request,
        "needs/console/problem.html",
        {
            "problem": problem,
            "errors": errors,
            "form_error": errors.get("", ""),
            "values": values,
            "departments": departments,
            "can_change": can(request.user, "problem.change", problem),
        },
        status=status,
    )
