"""The worker's volunteering pages (H5): activities near me (updating without a reload), an
activity with sign-up and attendance (签到), my sign-ups, my hours and certificate, the page the
activity's attendance code opens, and the page a station's QR code opens (驿站打卡, a visit:
`/v/<visit code>`; posters printed before the code was a secret point at `/s/<uuid>/checkin`,
which now only says the poster is out of date)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dandelion.core.errors import ApplicationError, RateLimited
from dandelion.core.forms import show_error
from dandelion.core.h5 import safe_next, sign_in_required
from dandelion.stations import selectors as stations_selectors
from dandelion.stations import services as stations_services

from . import selectors, services
from .certificate import certificate_pdf
from .models import Activity


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
    mine = selectors.open_signups_by_activity(user=request.user)
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
        context = _detail_context(request, activity, form_error=show_error(exc)[""])
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
        context = _detail_context(request, activity, form_error=show_error(exc)[""])
        return render(request, "volunteering/activity.html", context, status=exc.status)
    messages.success(request, _("已取消报名"))
    return redirect("volunteering:activity", activity_id=activity_id)


@sign_in_required
@require_POST
def attend_view(request, activity_id: int):
    """Arrive (签到) or leave (签退): the form carries the activity's attendance code or the
    station's visit code, which the page got from the QR code that was scanned, and the
    device's location when the browser gave it."""
    activity = _visible_or_404(request, activity_id)
    back = safe_next(request, reverse("volunteering:activity", args=[activity_id]))
    lat, lng, accuracy_m = _device_location(request.POST)
    try:
        method = services.attendance_method(
            activity=activity,
            code=request.POST.get("code") or None,
            station_code=request.POST.get("station_code") or None,
            lat=lat,
            lng=lng,
            accuracy_m=accuracy_m,
        )
        if request.POST.get("action") == "leave":
            services.attendance_leave(activity=activity, user=request.user, method=method)
            messages.success(request, _("签退成功，等待组织者确认时长"))
        else:
            services.attendance_arrive(activity=activity, user=request.user, method=method)
            messages.success(request, _("签到成功"))
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect(back)


@sign_in_required
@require_GET
def attendance_code_page(request, code):
    """The page the activity's attendance code (签到码) opens: arrive or leave that activity."""
    try:
        found = selectors.activity_for_code(code=code)
    except ApplicationError as exc:
        raise Http404 from exc
    activity = _visible_or_404(request, found.pk)
    context = _detail_context(request, activity, code=str(activity.attendance_code))
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
    return HttpResponse(
        certificate_pdf(user=request.user),
        content_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="volunteer-hours.pdf"'},
    )


def _number(text) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _device_location(data) -> tuple[float | None, float | None, float | None]:
    """The location the page's script put in the form (the browser's geolocation), if any; a
    value that is no number counts as none sent."""
    return _number(data.get("lat")), _number(data.get("lng")), _number(data.get("accuracy_m"))


def _station_visit_page(request, station, *, error: str = "", status: int = 200):
    visit = stations_selectors.visit_today(user=request.user, station=station)
    activity, attendance = selectors.activity_happening_at_station(
        user=request.user, station=station
    )
    context = {
        "station": station,
        "visit": visit,
        "activity": activity,
        "attendance": attendance,
        "visit_error": error,
    }
    return render(request, "volunteering/station_visit.html", context, status=status)


@sign_in_required
@require_http_methods(["GET", "POST"])
def station_visit(request, code: str):
    """The station's QR code opens this page (`/v/<visit code>`): the worker taps to record the
    visit (打卡), sending the device's location when the browser allows, and when an activity
    they signed up for is on here now, arrives at it or leaves it too."""
    station = stations_selectors.station_by_visit_code(code=code)
    if station is None:
        raise Http404
    if request.method == "POST":
        lat, lng, accuracy_m = _device_location(request.POST)
        try:
            _visit, created = stations_services.visit_record(
                user=request.user, station=station, lat=lat, lng=lng, accuracy_m=accuracy_m
            )
        except ApplicationError as exc:
            response = _station_visit_page(
                request, station, error=show_error(exc)[""], status=exc.status
            )
            if isinstance(exc, RateLimited):
                response["Retry-After"] = str(exc.retry_after)
            return response
        if created:
            messages.success(request, _("打卡成功"))
        else:
            messages.info(request, _("今天已经在这里打过卡了"))
        return redirect(request.path)
    return _station_visit_page(request, station)


def poster_out_of_date(request, station_uuid):
    """Posters printed before visit codes were secret carry the station's public uuid: that
    proves nothing, so nothing is recorded; the worker is told to ask for the new poster."""
    return render(request, "volunteering/poster_out_of_date.html", status=410)
