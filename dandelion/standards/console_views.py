"""The staff console's star-rating pages (星级评定), under /console/standards/:

- the queue: assessments waiting for my roles (or all I may see), and the rounds with their
  progress, with the form that opens a round;
- one assessment: every indicator with its measured value and source, the station's own score
  and evidence, the reviewer's score; the inputs of the caller's role, kept on a mistake; the
  moves the caller may take;
- the star table of a region: stations × level, filtered, paged, exported as xlsx;
- the standard editor: a region's versions, a draft's points, guides, thresholds and vetoes,
  validated and published as a new version.

Who may do what is the selectors' and services' business: a refusal to see becomes the 404 or
403 page; any other refusal is shown on the page with the input kept."""

from datetime import date
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.permissions import can
from dandelion.regions.selectors import region_find

from . import selectors, services
from .models import Assessment, Measure, VetoRule
from .payloads import assessment_detail_payload
from .workflow import ACTION_ROLE

PAGE_SIZE = 25
ROLE_LABELS = {
    "station_manager": gettext_lazy("驿站管理员"),
    "reviewer": gettext_lazy("评审人"),
    "approver": gettext_lazy("核定人"),
    "region_admin": gettext_lazy("区域管理员"),
}
REFUSALS = (NotFound, PermissionDenied)


@console_required
@require_GET
def queue(request):
    todo = request.GET.get("all") != "1"
    state = request.GET.get("state") or None
    if state not in Assessment.State.values:
        state = None
    assessments = selectors.assessment_list(actor=request.user, todo=todo, state=state)
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    rounds = list(selectors.round_list(actor=request.user)[:10])
    query = urlencode({k: v for k, v in request.GET.items() if k in ("all", "state") and v})
    return render(
        request,
        "standards/console/queue.html",
        {
            "page": page,
            "todo": todo,
            "state": state or "",
            "states": Assessment.State.choices,
            "filter_query": query,
            "rounds": [(r, selectors.round_progress(round=r)) for r in rounds],
            "may_open_round": can(request.user, "assessment_round.open"),
        },
    )


@console_required
@require_POST
def round_open(request):
    due = request.POST.get("due_on") or None
    try:
        due_on = date.fromisoformat(due) if due else None
        r = services.round_open(
            actor=request.user,
            region_code=request.POST.get("region", ""),
            name=request.POST.get("name", ""),
            due_on=due_on,
        )
    except ValueError:
        messages.error(request, _("截止日期格式有误。"))
    except ApplicationError as exc:
        show_error(exc, request=request)
    else:
        messages.success(
            request,
            _("已发起评定批次：%(name)s（%(n)s 个驿站）")
            % {"name": r.name, "n": r.assessments.count()},
        )
    return redirect("standards_console:queue")


def _field_errors(exc: ApplicationError) -> dict[str, str]:
    return {str(item.get("field", "")): str(item.get("msg")) for item in exc.errors}


def _inputs(request, detail: dict, errors: dict[str, str]) -> dict:
    """What the page shows in each score input: the posted value after a mistake, else the
    stored one; and the mistakes beside their indicator."""
    posted = request.POST if request.method == "POST" else {}
    for score in detail["scores"]:
        code = score["code"]
        score["errors"] = [
            msg for field, msg in errors.items() if field.startswith(f"scores.{code}.")
        ]
        for key, stored in (
            ("self_points", score["self_points"]),
            ("self_note", score["self_note"]),
            ("reviewed_points", score["reviewed_points"]),
            ("review_note", score["review_note"]),
            ("override_reason", score["override_reason"]),
        ):
            name = f"{key}:{code}"
            score[f"input_{key}"] = posted.get(name, "" if stored is None else stored)
    return detail


@console_required
@require_http_methods(["GET", "POST"])
def assessment_page(request, assessment_id: int):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _save_scores(request, assessment_id)
        except REFUSALS:
            raise
        except ApplicationError as exc:
            errors = _field_errors(exc)
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已保存。"))
            return redirect("standards_console:assessment", assessment_id=assessment_id)
    assessment = selectors.assessment_get(actor=request.user, assessment_id=assessment_id)
    detail = _inputs(request, assessment_detail_payload(assessment, actor=request.user), errors)
    states = dict(Assessment.State.choices)
    for event in detail["events"]:
        event["from_label"] = states.get(event["from_state"], "")
        event["to_label"] = states.get(event["to_state"], event["to_state"])
        event["role_label"] = ROLE_LABELS.get(event["actor_role"], event["actor_role"])
    actions = detail["actions"]
    return render(
        request,
        "standards/console/assessment.html",
        {
            "a": detail,
            "state_label": assessment.get_state_display(),
            "errors": errors,
            "may_self": "submit" in actions,
            "may_review": "review" in actions,
            "moves": [(action, ACTION_ROLE[action]) for action in actions],
            "levels": assessment.standard.levels.all(),
        },
        status=422 if errors else 200,
    )


def _save_scores(request, assessment_id: int) -> None:
    role = request.POST.get("role")
    codes = {
        key.split(":", 1)[1]
        for key in request.POST
        if ":" in key and key.split(":", 1)[0].endswith(("points", "note", "reason"))
    }
    if role == "self":
        services.assessment_self_score(
            actor=request.user,
            assessment_id=assessment_id,
            scores={
                code: {
                    "points": request.POST.get(f"self_points:{code}", ""),
                    "note": request.POST.get(f"self_note:{code}", ""),
                }
                for code in codes
            },
        )
    elif role == "review":
        services.assessment_review_score(
            actor=request.user,
            assessment_id=assessment_id,
            scores={
                code: {
                    "points": request.POST.get(f"reviewed_points:{code}", ""),
                    "note": request.POST.get(f"review_note:{code}", ""),
                    "override_reason": request.POST.get(f"override_reason:{code}", ""),
                }
                for code in codes
            },
        )
    else:
        raise Http404


@console_required
@require_POST
def assessment_move(request, assessment_id: int):
    try:
        services.assessment_move(
            actor=request.user,
            assessment_id=assessment_id,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        )
    except REFUSALS:
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
    else:
        messages.success(request, _("已提交。"))
    return redirect("standards_console:assessment", assessment_id=assessment_id)


@console_required
@require_POST
def evidence_add(request, assessment_id: int):
    try:
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, _("请选择一张照片。"))
        else:
            services.evidence_add(
                actor=request.user,
                assessment_id=assessment_id,
                indicator_code=request.POST.get("indicator", ""),
                upload=upload,
                caption=request.POST.get("caption", ""),
            )
            messages.success(request, _("已上传佐证照片。"))
    except REFUSALS:
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect("standards_console:assessment", assessment_id=assessment_id)


def _table_region(request):
    code = request.GET.get("region") or ""
    regions = list(selectors.viewable_regions(actor=request.user))
    if not regions:
        raise PermissionDenied(_("你没有权限进行这个操作。"))
    region = region_find(code=code) if code else regions[0]
    if region is None:
        raise NotFound(_("没有这项内容。"), extra={"entity": "region"})
    return region, regions


def _table_rows(request):
    region, regions = _table_region(request)
    stars = request.GET.get("stars")
    stars = int(stars) if stars in {str(n) for n in range(6)} else None
    text = (request.GET.get("q") or "").strip()[:50] or None
    qs = selectors.star_table(actor=request.user, region_code=region.code, stars=stars, text=text)
    return region, regions, stars, text, qs


@console_required
@require_GET
def star_table(request):
    region, regions, stars, text, qs = _table_rows(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k in ("region", "stars", "q") and v})
    return render(
        request,
        "standards/console/stars.html",
        {
            "region": region,
            "regions": regions,
            "stars": stars,
            "q": text or "",
            "page": page,
            "filter_query": query,
            "levels": range(6),
            "distribution": selectors.stars_distribution(region_code=region.code),
        },
    )


@console_required
@require_GET
def star_table_xlsx(request):
    from openpyxl import Workbook

    region, _regions, _stars, _text, qs = _table_rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = _("驿站星级")
    sheet.append([_("编号"), _("驿站"), _("区划"), _("星级"), _("有效期至"), _("地址")])
    for station in qs.iterator(chunk_size=500):
        sheet.append(
            [
                station.pk,
                station.name,
                station.region.name,
                station.stars,
                station.stars_valid_until.isoformat() if station.stars_valid_until else "",
                station.address,
            ]
        )
    out = BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="stars-{region.code}.xlsx"'
    return response


# ---- the standard editor ----


@console_required
@require_GET
def standards_list(request):
    regions = list(selectors.editable_regions(actor=request.user))
    if not regions:
        raise PermissionDenied(_("你没有权限进行这个操作。"))
    code = request.GET.get("region") or regions[0].code
    region = next((r for r in regions if r.code == code), None)
    if region is None:
        raise NotFound(_("没有这项内容。"), extra={"entity": "region"})
    versions = list(selectors.standards_of_region(actor=request.user, region=region))
    in_force = selectors.standard_in_force(region=region)
    return render(
        request,
        "standards/console/standards.html",
        {"region": region, "regions": regions, "versions": versions, "in_force": in_force},
    )


@console_required
@require_POST
def standard_draft(request):
    region = region_find(code=request.POST.get("region", ""))
    if region is None:
        raise NotFound(_("没有这项内容。"), extra={"entity": "region"})
    try:
        draft = services.standard_draft_create(actor=request.user, region=region)
    except REFUSALS:
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
        return redirect(reverse("standards_console:standards") + f"?region={region.code}")
    return redirect("standards_console:standard", standard_id=draft.pk)


def _editor_changes(post) -> tuple[dict, dict, dict, dict]:
    indicators: dict[str, dict] = {}
    levels: dict[int, dict] = {}
    vetoes: dict[str, dict] = {}
    for key, value in post.items():
        if key.startswith("i:"):
            _prefix, code, field = key.split(":", 2)
            indicators.setdefault(code, {})[field] = value
        elif key.startswith("l:"):
            _prefix, stars, field = key.split(":", 2)
            if stars.isdigit():
                levels.setdefault(int(stars), {})[field] = value
        elif key.startswith("v:"):
            _prefix, kind, field = key.split(":", 2)
            vetoes.setdefault(kind, {})[field] = value
    # An unticked checkbox sends nothing: every indicator of the form says its flags.
    for code in post.getlist("indicator"):
        changes = indicators.setdefault(code, {})
        changes["evidence_required"] = post.get(f"i:{code}:evidence_required") == "on"
        changes["delete"] = post.get(f"i:{code}:delete") == "on"
    new = {key[4:]: value for key, value in post.items() if key.startswith("new:")}
    new["evidence_required"] = new.get("evidence_required") == "on"
    new["is_bonus"] = new.get("is_bonus") == "on"
    return indicators, levels, vetoes, new


@console_required
@require_http_methods(["GET", "POST"])
def standard_page(request, standard_id: int):
    standard = selectors.standard_for_edit(actor=request.user, standard_id=standard_id)
    errors: dict[str, str] = {}
    new: dict = {}
    if request.method == "POST":
        indicators, levels, vetoes, new = _editor_changes(request.POST)
        try:
            services.standard_draft_update(
                actor=request.user,
                standard_id=standard.pk,
                name=request.POST.get("name"),
                indicators=indicators,
                levels=levels,
                vetoes=vetoes,
                new_indicator=new,
            )
            if request.POST.get("publish") == "1":
                services.standard_publish(actor=request.user, standard_id=standard.pk)
                messages.success(request, _("已发布为新版本。"))
            else:
                services.standard_validate(standard)
                messages.success(request, _("已保存，校验通过。"))
            return redirect("standards_console:standard", standard_id=standard.pk)
        except REFUSALS:
            raise
        except ApplicationError as exc:
            errors = _field_errors(exc) or {"": str(exc.message)}
            messages.error(request, str(exc.message))
        except ValueError:
            messages.error(request, _("请填写数字。"))
        standard = selectors.standard_with_tree(standard_id=standard.pk)
    return render(
        request,
        "standards/console/standard.html",
        {
            "standard": standard,
            "editable": standard.status == standard.Status.DRAFT,
            "errors": errors,
            "effects": VetoRule.Effect.choices,
            "measures": Measure.choices,
            "new_input": new if errors else {},
        },
        status=422 if errors else 200,
    )
