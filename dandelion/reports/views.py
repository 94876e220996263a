"""The worker's report pages (H5): report a problem, my reports, one report with its updates
(and the reporter's confirm/reopen), and the public map of reports.

The form posts here and calls the same service as the API; its errors are shown beside the
field they name, and what was typed is kept. Its categories are those of the place pinned
(categories differ by street): the page's script asks `report_new_categories` for them again
whenever the pin moves. The duplicate check and "me too" on the form, and the public map, read
the JSON API from the page's script.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dandelion.core.errors import (
    ApplicationError,
    CoreError,
    InvalidInput,
    RateLimited,
    field_error,
)
from dandelion.core.forms import show_error
from dandelion.core.geo import to_wgs84, valid_wgs84
from dandelion.core.h5 import sign_in_required

from . import selectors, services
from .forms import attributes_from_post
from .models import Report
from .payloads import category_payload, report_payload
from .workflow import CONFIRM_FIXED, REOPEN, REPORTER, WORKFLOW

MY_PAGE_SIZE = 10


# The fields the report form shows errors beside; the rest go on top.
FORM_FIELDS = ("category", "description", "address", "lat", "photos")


def _form_errors(exc: ApplicationError, categories: list[dict]) -> dict[str, str]:
    """{field: sentence} for the report form; a photo's error says which photo it is."""
    questions = {f"attribute[{a['code']}]" for c in categories for a in c["attributes"]}
    errors = show_error(exc, fields=(*FORM_FIELDS, *questions))
    for item in exc.errors:
        field = str(item.get("field", ""))
        if field.startswith("photos[") and field.endswith("]") and field[7:-1].isdecimal():
            errors["photos"] = _("第 %(n)s 张照片：%(error)s") % {
                "n": int(field[7:-1]) + 1,
                "error": errors["photos"],
            }
            break
    return errors


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _map_config(request) -> dict:
    return {
        "tiles": {
            "url": settings.MAP_TILE_URL,
            "subdomains": settings.MAP_TILE_SUBDOMAINS,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "coord": settings.MAP_TILE_COORD,
        },
        "defaultCenter": list(settings.MAP_DEFAULT_CENTER),
        "api": {
            "reports": reverse("api-v1:reports_list"),
            "nearby": reverse("api-v1:reports_nearby_open"),
            "support": reverse("api-v1:reports_support", kwargs={"report_id": 0}),
        },
        "categoriesUrl": reverse("reports:new_categories"),
        "detailUrl": reverse("reports:detail", kwargs={"report_id": 0}),
        "messages": {
            "duplicates": _("附近 50 米内已有 %(n)s 个相同问题，是同一个吗？"),
            "support": _("我也遇到"),
            "supported": _("已附议，处理进展会通知你"),
            "support_failed": _("操作失败，请稍后再试"),
            "pin_hint": _("点击地图标出问题位置"),
            "located": _("已定位到你的位置，可拖动或点击地图调整"),
            "count": _("共 %(n)s 个问题"),
            "none": _("这里还没有问题报告"),
            "load_failed": _("加载失败，请稍后再试"),
        },
    }


def _default_categories() -> list[dict]:
    """The categories offered at the map's default centre, before a pin is placed."""
    lat, lng = settings.MAP_DEFAULT_CENTER
    try:
        return [category_payload(c) for c in selectors.categories_for_point(lat=lat, lng=lng)]
    except InvalidInput:
        return []


def _pinned_point(lat: str, lng: str) -> tuple[float, float] | None:
    point = _float(lat), _float(lng)
    return point if valid_wgs84(*point) else None


def _category_fields(
    *, point: tuple[float, float] | None, chosen: str
) -> tuple[dict, dict[str, str]]:
    """The category select's context, and notes for the form's fields.

    The categories are those offered where the worker pinned the problem (the region of the
    point, where the report would be routed), or at the map's default centre before a pin.
    The notes say when the pin is off the area served (`lat`), or when the `chosen` category
    does not apply at the pin (`category`): the select then lists the pin's categories."""
    if point is None:
        return {"categories": _default_categories(), "categories_at": ""}, {}
    lat, lng = point
    context = {"categories": [], "categories_at": f"{lat:.7f},{lng:.7f}"}
    try:
        categories = selectors.categories_for_point(lat=lat, lng=lng)
    except InvalidInput as exc:
        return context, {"lat": show_error(exc, fields=["lat"]).get("lat") or str(exc)}
    context["categories"] = [category_payload(c) for c in categories]
    if chosen and chosen not in {c["code"] for c in context["categories"]}:
        return context, {"category": _("所选类别不适用于标出的位置，请重新选择")}
    return context, {}


def _chosen(category: str, answers: dict) -> dict:
    """What the worker chose, for the page's script to restore when the pin moves back to
    where the category applies (its questions are not on the page until then)."""
    return {
        "category": category,
        "answers": {
            f"attribute[{code}]": value if isinstance(value, str) else ",".join(value)
            for code, value in answers.items()
        },
    }


@sign_in_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    context = {
        # One key per rendering of the form: a resend (a double tap, or the phone sending a
        # report it queued offline) is the same report.
        "values": {"coord": "wgs84", "client_token": uuid.uuid4().hex},
        "answers": {},
        "errors": {},
        "map_config": _map_config(request),
    }
    if request.method == "POST":
        post = request.POST
        values = {
            "category": post.get("category", ""),
            "description": post.get("description", ""),
            "address": post.get("address", ""),
            "lat": post.get("lat", ""),
            "lng": post.get("lng", ""),
            "client_token": post.get("client_token", "")[:64],
        }
        context["values"] = values
        context["answers"] = attributes_from_post(post)
        lat, lng = _float(values["lat"]), _float(values["lng"])
        try:
            if lat is None or lng is None:
                message = _("请在地图上标出问题的位置")
                raise InvalidInput(
                    message,
                    code=CoreError.REQUIRED,
                    errors=[field_error("lat", CoreError.REQUIRED, message)],
                )
            lat, lng = to_wgs84(lat, lng, "wgs84")
            report = services.report_create(
                reporter=request.user,
                category_code=values["category"],
                lat=lat,
                lng=lng,
                description=values["description"],
                address=values["address"],
                photos=request.FILES.getlist("photos"),
                attributes=context["answers"],
                source=Report.Source.H5,
                client_token=values["client_token"],
            )
        except ApplicationError as exc:
            fields, notes = _category_fields(
                point=_pinned_point(values["lat"], values["lng"]), chosen=values["category"]
            )
            errors = _form_errors(exc, fields["categories"])
            errors.update(notes)
            context.update(
                fields,
                errors=errors,
                form_error=errors.get("", ""),
                fields_marked=any(field for field in errors),
            )
            context["map_config"]["chosen"] = _chosen(values["category"], context["answers"])
            if isinstance(exc, RateLimited):
                # Too many reports, or the photo decoder busy: nothing to correct, try later.
                response = render(request, "reports/new.html", context, status=exc.status)
                response["Retry-After"] = str(exc.retry_after)
                return response
            return render(request, "reports/new.html", context, status=422)
        messages.success(request, _("已提交，感谢你的随手拍！处理进展会通知你。"))
        return redirect("reports:detail", report_id=report.pk)
    context.update(_category_fields(point=None, chosen="")[0])
    return render(request, "reports/new.html", context)


@require_GET
def report_new_categories(request):
    """The category select and its questions for the point pinned (`lat`, `lng`, WGS-84),
    with `category` chosen if it applies there: the form swaps them in when the pin moves."""
    point = _pinned_point(request.GET.get("lat", ""), request.GET.get("lng", ""))
    if point is None:
        return HttpResponseBadRequest()
    chosen = request.GET.get("category", "")
    fields, notes = _category_fields(point=point, chosen=chosen)
    context = {
        **fields,
        "values": {"category": chosen},
        "answers": {},
        "errors": {"category": notes.get("category") or notes.get("lat", "")},
    }
    return render(request, "reports/includes/category_fields.html", context)


@sign_in_required
@require_GET
def report_mine(request):
    paginator = Paginator(selectors.reports_of(user=request.user), MY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {**report_payload(r), "mine": r.reporter_id == request.user.pk} for r in page.object_list
    ]
    return render(request, "reports/mine.html", {"page": page, "rows": rows})


def _detail_context(request, report_id: int) -> dict:
    report = selectors.report_get(report_id=report_id)
    user = request.user
    is_reporter = user.is_authenticated and report.reporter_id == user.pk
    return {
        "report": report_payload(report),
        "is_reporter": is_reporter,
        "can_confirm": is_reporter and WORKFLOW.is_possible(CONFIRM_FIXED, report.status, REPORTER),
        "can_reopen": is_reporter and WORKFLOW.is_possible(REOPEN, report.status, REPORTER),
        "is_supporter": selectors.is_supporter(report=report, user=user),
        "can_support": (user.is_authenticated and not is_reporter and not report.is_closed),
        "errors": {},
        "values": {},
    }


@require_GET
def report_detail(request, report_id: int):
    try:
        context = _detail_context(request, report_id)
    except ApplicationError:
        return render(request, "web/not_found.html", status=404)
    return render(request, "reports/detail.html", context)


@sign_in_required
@require_POST
def report_reporter_action(request, report_id: int, action: str):
    """The reporter confirms the fix or reopens the report; errors show on the same page."""
    note = request.POST.get("note", "")
    try:
        if action == "confirm":
            services.report_confirm_fixed(report_id=report_id, user=request.user, note=note)
            messages.success(request, _("感谢确认，问题已办结。"))
        elif action == "reopen":
            services.report_reopen(report_id=report_id, user=request.user, note=note)
            messages.success(request, _("已重新打开，处置单位会再次处理。"))
        else:
            services.report_support(report_id=report_id, user=request.user)
            messages.success(request, _("已附议，处理进展会通知你。"))
    except ApplicationError as exc:
        try:
            context = _detail_context(request, report_id)
        except ApplicationError:
            return render(request, "web/not_found.html", status=404)
        context["errors"] = {action: show_error(exc)[""]}
        context["values"] = {"note": note, "action": action}
        return render(request, "reports/detail.html", context, status=409)
    return redirect("reports:detail", report_id=report_id)


def _map_categories() -> list[dict]:
    """Every active category of the city around the map's default centre: the map shows the
    reports of every street, so its filter offers every street's categories, not one pin's."""
    lat, lng = settings.MAP_DEFAULT_CENTER
    try:
        city_code = selectors.region_for_point(lat=lat, lng=lng).city_code
    except InvalidInput:
        return []
    return [category_payload(c) for c in selectors.category_list(city_code=city_code)]


@require_GET
def report_map(request):
    return render(
        request,
        "reports/map.html",
        {
            "categories": _map_categories(),
            "map_config": _map_config(request),
            "status_groups": [("open", _("处理中")), ("closed", _("已办结"))],
        },
    )
