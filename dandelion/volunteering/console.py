"""Staff console pages for activities: the list, publish an activity, the roster with
attendance, record and confirm hours, the activity's attendance code (签到码), hours per
team/region. Who may see and do what is the selectors' and services' to say; a refusal is the
page's 404 or 403, any other error goes on the page through `core.forms.show_error`."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.permissions import can
from dandelion.core.qr import absolute_url, qr_svg, qr_svg_inline

from . import selectors, services
from .models import Activity


def _permitted(request, activity_id: int, action: str = "activity.view") -> Activity:
    return selectors.activity_for_console(
        actor=request.user, activity_id=activity_id, action=action
    )


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(label=gettext_lazy("发布组织"), queryset=None)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("活动内容"), widget=forms.Textarea, required=False, max_length=4000
    )
    station = forms.ModelChoiceField(label=gettext_lazy("驿站"), queryset=None, required=False)
    address = forms.CharField(label=gettext_lazy("地址"), max_length=255, required=False)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    capacity = forms.IntegerField(label=gettext_lazy("名额"), min_value=1, max_value=10000)
    skills = forms.CharField(
        label=gettext_lazy("所需技能"),
        required=False,
        help_text=gettext_lazy("用逗号或顿号分隔，最多 10 项"),
    )
    points_per_hour = forms.IntegerField(
        label=gettext_lazy("每小时积分"), min_value=0, max_value=1000, initial=10
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("可见范围"), choices=Activity.Visibility.choices
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = selectors.organisations_for_activities(actor=user)
        self.fields["organisation"].queryset = organisations
        self.fields["station"].queryset = selectors.stations_for_activities(
            actor=user, organisations=organisations
        )

    def clean_skills(self) -> list[str]:
        raw = self.cleaned_data.get("skills") or ""
        for sep in ("、", "，", ";"):
            raw = raw.replace(sep, ",")
        return [s.strip() for s in raw.split(",") if s.strip()]

    def clean(self):
        data = super().clean()
        if not data.get("station") and not data.get("address"):
            self.add_error("station", _("请选择驿站，或在地址中写明地点"))
        return data


@console_required
@require_GET
def activity_list(request):
    status = request.GET.get("status") or None
    if status not in (None, *Activity.Status.values):
        status = None
    page = Paginator(selectors.activities_managed(actor=request.user, status=status), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "volunteering/console/list.html",
        {
            "page": page,
            "status": status or "",
            "statuses": Activity.Status.choices,
            "can_create": can(request.user, "activity.manage"),
        },
    )


@console_required
def activity_new(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        if not data["station"]:
            data.pop("station")
            data["region"] = organisation.region
            data["lat"] = organisation.region.center_lat
            data["lng"] = organisation.region.center_lng
        try:
            activity = services.activity_create(
                actor=request.user, organisation=organisation, **data
            )
        except ApplicationError as exc:
            show_error(exc, form=form)
        else:
            if request.POST.get("publish"):
                try:
                    services.activity_publish(actor=request.user, activity=activity)
                    messages.success(request, _("活动已发布，已通知符合条件的志愿者"))
                except ApplicationError as exc:
                    show_error(exc, request=request)
            else:
                messages.success(request, _("已保存为草稿"))
            return redirect("volunteering_console:detail", activity_id=activity.pk)
    return render(request, "volunteering/console/form.html", {"form": form, "activity": None})


@console_required
def activity_edit(request, activity_id: int):
    activity = _permitted(request, activity_id, "activity.manage")
    initial = {
        "organisation": activity.organisation,
        "title": activity.title,
        "description": activity.description,
        "station": activity.station,
        "address": activity.address,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
        "skills": "、".join(activity.skills),
        "points_per_hour": activity.points_per_hour,
        "visibility": activity.visibility,
    }
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("organisation")
        changes = {k: v for k, v in data.items() if initial.get(k) != v or k == "skills"}
        if changes.get("skills") == activity.skills:
            changes.pop("skills")
        try:
            services.activity_update(actor=request.user, activity=activity, changes=changes)
        except ApplicationError as exc:
            show_error(exc, form=form)
        else:
            messages.success(request, _("已保存"))
            return redirect("volunteering_console:detail", activity_id=activity.pk)
    return render(request, "volunteering/console/form.html", {"form": form, "activity": activity})


@console_required
@require_GET
def activity_detail(request, activity_id: int):
    activity = _permitted(request, activity_id)
    roster = list(selectors.activity_roster(activity=activity))
    for signup in roster:
        signup.attendance = next(iter(signup.attendances.all()), None)
    code_url = absolute_url(reverse("volunteering:code", args=[activity.attendance_code]), request)
    return render(
        request,
        "volunteering/console/detail.html",
        {
            "activity": activity,
            "roster": roster,
            "can_manage": can(request.user, "activity.manage", activity),
            "code_url": code_url,
            "code_svg": qr_svg_inline(code_url),
            "events": activity.events.select_related("actor"),
        },
    )


@console_required
@require_POST
def activity_state(request, activity_id: int):
    activity = _permitted(request, activity_id, "activity.manage")
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.activity_publish(actor=request.user, activity=activity)
            messages.success(request, _("活动已发布，已通知符合条件的志愿者"))
        elif action == "cancel":
            services.activity_cancel(
                actor=request.user, activity=activity, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("活动已取消，已通知报名的志愿者"))
        elif action == "finish":
            services.activity_finish(actor=request.user, activity=activity)
            messages.success(request, _("活动已结束"))
        else:
            messages.error(request, _("未知操作"))
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect("volunteering_console:detail", activity_id=activity.pk)


@console_required
@require_GET
def activity_code_svg(request, activity_id: int):
    activity = _permitted(request, activity_id, "activity.manage")
    url = absolute_url(reverse("volunteering:code", args=[activity.attendance_code]), request)
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


def _parse_local(value: str):
    moment = parse_datetime(value or "")
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@console_required
@require_POST
def attendance_record_view(request, activity_id: int):
    activity = _permitted(request, activity_id, "activity.manage")
    arrived = _parse_local(request.POST.get("arrived_at", ""))
    left = _parse_local(request.POST.get("left_at", ""))
    if arrived is None:
        messages.error(request, _("请填写签到时间"))
        return redirect("volunteering_console:detail", activity_id=activity.pk)
    try:
        services.attendance_record(
            actor=request.user,
            activity=activity,
            user=selectors.volunteer_for_record(user_id=_int(request.POST.get("user_id"))),
            arrived_at=arrived,
            left_at=left,
        )
        messages.success(request, _("已登记签到记录"))
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect("volunteering_console:detail", activity_id=activity.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@console_required
@require_POST
def attendance_confirm_view(request, attendance_id: int):
    attendance = selectors.attendance_get(actor=request.user, attendance_id=attendance_id)
    activity = _permitted(request, attendance.activity_id, "activity.manage")
    raw = (request.POST.get("minutes") or "").strip()
    minutes = None
    if raw:
        try:
            minutes = round(float(raw) * 60) if request.POST.get("unit") == "hours" else int(raw)
        except ValueError:
            messages.error(request, _("时长请填写数字"))
            return redirect("volunteering_console:detail", activity_id=activity.pk)
    try:
        services.attendance_confirm(
            actor=request.user,
            attendance_id=attendance.pk,
            minutes=minutes,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("时长已确认"))
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect("volunteering_console:detail", activity_id=activity.pk)


@console_required
@require_GET
def hours_summary(request):
    group = "region" if request.GET.get("group") == "region" else "team"
    rows = selectors.hours_by(actor=request.user, group=group)
    for row in rows:
        row["hours"] = row["minutes"] / 60
    return render(request, "volunteering/console/hours.html", {"rows": rows, "group": group})
