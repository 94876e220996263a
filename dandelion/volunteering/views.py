"""The worker's volunteering pages (H5): activities near me (updating without a reload), an
activity with sign-up and check-in, my sign-ups, my hours and certificate, the organiser's
check-in code page, and a station's check-in page (驿站打卡, `/s/<uuid>/checkin`)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dandelion.core.errors import ApplicationError
from dandelion.core.h5 import sign_in_required
from dandelion.stations import selectors as stations_selectors
from dandelion.stations import services as stations_services

from . import selectors, services
from .models import Activity, Attendance


def error_text(exc: ApplicationError) -> str:
    """The worker-facing sentence for a service error, by its stable code."""
    texts = {
        "activity_not_found": _("找不到这个活动"),
        "activity_closed": _("活动已结束或已取消"),
        "activity_started": _("活动已经开始，不能再报名或取消"),
        "signup_not_found": _("你没有报名这个活动"),
        "not_signed_up": _("你没有报名这个活动"),
        "signup_waiting": _("你在候补名单中，转为正式报名后才能签到"),
        "too_early": _("签到在活动开始前 1 小时开放"),
        "activity_ended": _("活动已结束，不能再签到"),
        "not_checked_in": _("请先签到"),
        "already_checked_out": _("你已经签退了"),
        "check_out_closed": _("签退时间已过，请联系组织者"),
        "invalid_checkin_code": _("请扫描本活动的签到码或活动所在驿站的二维码"),
        "certificate_font_missing": _("证书暂时无法生成，请稍后再试"),
    }
    return texts.get(exc.code, exc.message)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _point_of(request) -> tuple[float | None, float | None]:
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            return lat, lng
    except (KeyError, ValueError):
        pass
    profile = getattr(request.user, "worker_profile", None)
    region = profile.work_region if profile else None
    if region is not None and region.center_lat is not None:
        return region.center_lat, region.center_lng
    return None, None


def _feed_context(request) -> dict:
    lat, lng = _point_of(request)
    activities = selectors.activities_near(user=request.user, lat=lat, lng=lng, limit=50)
    mine = dict(
        request.user.volunteer_signups.filter(status__in=["confirmed", "waiting"]).values_list(
            "activity_id", "status"
        )
    )
    for activity in activities:
        activity.my_signup = mine.get(activity.pk)
        activity.places_left = max(0, activity.capacity - activity.confirmed_count)
    return {"activities": activities, "located": lat is not None}


@sign_in_required
@require_GET
def feed(request):
    return render(request, "volunteering/feed.html", _feed_context(request))


@sign_in_required
@require_GET
def feed_fragment(request):
    return render(request, "volunteering/includes/feed_list.html", _feed_context(request))


def _detail_context(request, activity: Activity, **extra) -> dict:
    signup = selectors.signup_of(user=request.user, activity=activity)
    attendance = selectors.attendance_of(user=request.user, activity=activity)
    return {
        "activity": activity,
        "signup": signup,
        "attendance": attendance,
        "places_left": max(0, activity.capacity - activity.confirmed_count),
        **extra,
    }


def _visible_or_404(request, activity_id: int) -> Activity:
    activity = selectors.activity_visible(user=request.user, activity_id=activity_id)
    if activity is None:
        raise Http404
    return activity


@sign_in_required
@require_GET
def activity_detail(request, activity_id: int):
    activity = _visible_or_404(request, activity_id)
    return render(request, "volunteering/activity.html", _detail_context(request, activity))


@sign_in_required
@require_POST
def signup_view(request, activity_id: int):
    try:
        signup, _created = services.signup_create(activity_id=activity_id, user=request.user)
    except ApplicationError as exc:
        activity = _visible_or_404(request, activity_id)
        context = _detail_context(request, activity, form_error=error_text(exc))
        return render(request, "volunteering/activity.html", context, status=exc.status)
    if signup.status == "confirmed":
        messages.success(request, _("报名成功"))
    else:
        messages.info(request, _("名额已满，你已进入候补名单"))
    return redirect("volunteering:activity", activity_id=activity_id)


@sign_in_required
@require_POST
def signup_cancel_view(request, activity_id: int):
    try:
        services.signup_cancel(activity_id=activity_id, user=request.user)
    except ApplicationError as exc:
        activity = _visible_or_404(request, activity_id)
        context = _detail_context(request, activity, form_error=error_text(exc))
        return render(request, "volunteering/activity.html", context, status=exc.status)
    messages.success(request, _("已取消报名"))
    return redirect("volunteering:activity", activity_id=activity_id)


@sign_in_required
@require_POST
def attend_view(request, activity_id: int):
    """Check in or out: the form carries the organiser's code or the station's uuid, which
    the page got from the QR code that was scanned."""
    activity = _visible_or_404(request, activity_id)
    back = _safe_next(request, reverse("volunteering:activity", args=[activity_id]))
    action = request.POST.get("action")
    code, station_uuid = request.POST.get("code", ""), request.POST.get("station_uuid", "")
    if code and str(activity.checkin_token) == code:
        method = Attendance.Method.ORGANISER_CODE
    elif station_uuid and activity.station_id and str(activity.station.uuid) == station_uuid:
        method = Attendance.Method.STATION_QR
    else:
        messages.error(request, _("请扫描本活动的签到码或活动所在驿站的二维码"))
        return redirect(back)
    try:
        if action == "check_out":
            services.attendance_check_out(activity=activity, user=request.user, method=method)
            messages.success(request, _("签退成功，等待组织者确认时长"))
        else:
            services.attendance_check_in(activity=activity, user=request.user, method=method)
            messages.success(request, _("签到成功"))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(back)


@sign_in_required
@require_GET
def organiser_code(request, token):
    """The page the organiser's activity QR opens: check in or out of that activity."""
    try:
        found = services.activity_for_code(token=token)
    except ApplicationError as exc:
        raise Http404 from exc
    activity = _visible_or_404(request, found.pk)
    context = _detail_context(request, activity, code=str(activity.checkin_token))
    return render(request, "volunteering/activity.html", context)


@sign_in_required
@require_GET
def my_signups(request):
    rows = list(selectors.signups_of(user=request.user)[:100])
    return render(request, "volunteering/mine.html", {"signups": rows})


@sign_in_required
@require_GET
def my_hours(request):
    rows = list(selectors.hours_of(user=request.user))
    total = selectors.total_minutes(user=request.user)
    return render(request, "volunteering/hours.html", {"rows": rows, "total_hours": total / 60})


@sign_in_required
@require_GET
def certificate(request):
    from .certificate import certificate_pdf

    try:
        body = certificate_pdf(user=request.user)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect("volunteering:hours")
    return HttpResponse(
        body,
        content_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="volunteer-hours.pdf"'},
    )


@sign_in_required
def station_checkin(request, station_uuid):
    """The station's QR code opens this page: the worker taps to record the visit (打卡), and
    when an activity they signed up for is on here now, checks in or out of it too."""
    station = stations_selectors.station_by_uuid(station_uuid=station_uuid, include_closed=False)
    if station is None:
        raise Http404
    if request.method == "POST":
        _visit, created = stations_services.visit_record(user=request.user, station=station)
        if created:
            messages.success(request, _("打卡成功"))
        else:
            messages.info(request, _("今天已经在这里打过卡了"))
        return redirect(request.path)
    visit = stations_selectors.visit_today(user=request.user, station=station)
    activity, attendance = selectors.activity_happening_at_station(
        user=request.user, station=station
    )
    return render(
        request,
        "volunteering/station_checkin.html",
        {"station": station, "visit": visit, "activity": activity, "attendance": attendance},
    )
