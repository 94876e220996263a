"""The volunteering API: activities near me, sign-up and cancel, check-in and out, my hours and
certificate; for organisers: create, publish, cancel, finish, the roster, record and confirm
attendance, hours per team or region; station visits (驿站打卡)."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dandelion.core.errors import InvalidInput, NotFound
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.core.permissions import get_permitted, require
from dandelion.orgs.models import Organisation
from dandelion.regions.models import Region
from dandelion.stations import selectors as stations_selectors
from dandelion.stations import services as stations_services
from dandelion.stations.models import Station

from . import selectors, services
from .models import Activity, Attendance

router = Router(tags=["volunteering"])

ActivityStatus = Literal["draft", "published", "finished", "cancelled"]


class PlaceOut(Schema):
    station_id: int | None
    station_name: str | None
    address: str
    lat: float
    lng: float
    region_code: str


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    organisation: dict = Field(description="{id, name}")
    place: PlaceOut
    starts_at: datetime
    ends_at: datetime
    capacity: int
    confirmed: int
    waiting: int
    skills: list[str]
    points_per_hour: int
    visibility: str
    status: str
    status_label: str
    distance_m: float | None = None
    my_signup: str | None = Field(None, description="confirmed, waiting or none")


class NearQuery(Schema):
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class ActivityIn(Schema):
    organisation_id: int
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=4000)
    station_id: int | None = None
    address: str = Field("", max_length=255)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    region_code: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$")
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=10000)
    skills: list[str] = Field(default_factory=list, max_length=10)
    points_per_hour: int = Field(10, ge=0, le=1000)
    visibility: Literal["public", "team"] = "public"


class ActivityStateIn(Schema):
    action: Literal["publish", "cancel", "finish"]
    reason: str = Field("", max_length=200)


class ActivityFilters(Schema):
    status: ActivityStatus | None = None


class SignUpOut(Schema):
    id: int
    activity_id: int
    activity_title: str
    status: str
    status_label: str
    created_at: datetime
    promoted_at: datetime | None


class AttendIn(Schema):
    action: Literal["check_in", "check_out"]
    code: UUID | None = Field(None, description="The organiser's activity code (from its QR)")
    station_uuid: UUID | None = Field(None, description="The station's QR code, if scanned there")


class AttendanceOut(Schema):
    id: int
    activity_id: int
    user: dict = Field(description="{id, name}")
    checked_in_at: datetime
    checked_out_at: datetime | None
    computed_minutes: int | None
    credited_minutes: int | None
    adjust_reason: str
    confirmed_at: datetime | None


class RosterRowOut(Schema):
    signup_id: int
    user: dict
    status: str
    attendance: AttendanceOut | None


class RecordIn(Schema):
    user_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None = None


class ConfirmIn(Schema):
    minutes: int | None = Field(None, ge=0, description="Set only to credit another figure")
    reason: str = Field("", max_length=200)


class HoursRowOut(Schema):
    key: str
    name: str
    minutes: int
    people: int
    activities: int


class MyHoursOut(Schema):
    total_minutes: int
    items: list[AttendanceOut]


class VisitIn(Schema):
    station_uuid: UUID


class VisitOut(Schema):
    id: int
    station_id: int
    day: str
    visited_at: datetime
    created: bool


def activity_payload(activity: Activity, my_signup: str | None = None) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "organisation": {"id": activity.organisation_id, "name": activity.organisation.name},
        "place": {
            "station_id": activity.station_id,
            "station_name": activity.station.name if activity.station_id else None,
            "address": activity.address,
            "lat": activity.lat,
            "lng": activity.lng,
            "region_code": activity.region.code,
        },
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
        "confirmed": getattr(activity, "confirmed_count", 0),
        "waiting": getattr(activity, "waiting_count", 0),
        "skills": activity.skills,
        "points_per_hour": activity.points_per_hour,
        "visibility": activity.visibility,
        "status": activity.status,
        "status_label": str(activity.get_status_display()),
        "distance_m": getattr(activity, "distance_m", None),
        "my_signup": my_signup,
    }


def attendance_payload(attendance: Attendance) -> dict:
    return {
        "id": attendance.pk,
        "activity_id": attendance.activity_id,
        "user": {"id": attendance.user_id, "name": str(attendance.user)},
        "checked_in_at": attendance.checked_in_at,
        "checked_out_at": attendance.checked_out_at,
        "computed_minutes": attendance.computed_minutes,
        "credited_minutes": attendance.credited_minutes,
        "adjust_reason": attendance.adjust_reason,
        "confirmed_at": attendance.confirmed_at,
    }


def _visible(request, activity_id: int) -> Activity:
    activity = selectors.activity_visible(user=request.user, activity_id=activity_id)
    if activity is None:
        raise NotFound("No such activity.", code="activity_not_found")
    return activity


def _managed(request, activity_id: int) -> Activity:
    return get_permitted(
        request.user,
        "activity.manage",
        Activity.objects.select_related("organisation", "station", "region"),
        pk=activity_id,
    )


def _my_signups(user) -> dict[int, str]:
    from .models import SignUp

    return dict(
        SignUp.objects.filter(user=user, status__in=SignUp.OPEN_STATUSES).values_list(
            "activity_id", "status"
        )
    )


@router.get(
    "/volunteering/activities",
    response=list[ActivityOut],
    operation_id="volunteering_activities_near",
    summary="Open activities the caller may join, nearest first when lat/lng are given",
)
@paginate(Paged)
def activities_near(request: HttpRequest, near: Query[NearQuery]):
    if (near.lat is None) != (near.lng is None):
        raise InvalidInput(
            "Give both lat and lng, or neither.",
            code="invalid_point",
            errors=[{"field": "lat" if near.lat is None else "lng", "msg": "required"}],
        )
    rows = selectors.activities_near(user=request.user, lat=near.lat, lng=near.lng, limit=200)
    mine = _my_signups(request.user)
    return [activity_payload(a, mine.get(a.pk)) for a in rows]


@router.get(
    "/volunteering/activities/{activity_id}",
    response=ActivityOut,
    operation_id="volunteering_activity_get",
    summary="One activity",
)
def activity_get(request: HttpRequest, activity_id: int):
    activity = _visible(request, activity_id)
    return activity_payload(activity, _my_signups(request.user).get(activity.pk))


@router.post(
    "/volunteering/activities",
    response={201: ActivityOut},
    operation_id="volunteering_activity_create",
    summary="Create a draft activity for an organisation the caller organises",
)
def activity_create(request: HttpRequest, payload: ActivityIn):
    data = payload.dict()
    organisation = Organisation.objects.filter(pk=data.pop("organisation_id")).first()
    if organisation is None:
        raise InvalidInput(
            "No such organisation.",
            code="unknown_organisation",
            errors=[{"field": "organisation_id", "msg": "unknown"}],
        )
    station_id, region_code = data.pop("station_id"), data.pop("region_code")
    if station_id is not None:
        data["station"] = Station.objects.filter(pk=station_id).select_related("region").first()
        if data["station"] is None:
            raise InvalidInput(
                "No such station.",
                code="unknown_station",
                errors=[{"field": "station_id", "msg": "unknown"}],
            )
    if region_code:
        data["region"] = Region.objects.filter(code=region_code).first()
        if data["region"] is None:
            raise InvalidInput(
                "No such region.",
                code="unknown_region",
                errors=[{"field": "region_code", "msg": "unknown"}],
            )
    activity = services.activity_create(actor=request.user, organisation=organisation, **data)
    return 201, activity_payload(
        selectors.activity_visible(user=request.user, activity_id=activity.pk)
    )


@router.post(
    "/volunteering/activities/{activity_id}/state",
    response=ActivityOut,
    operation_id="volunteering_activity_state",
    summary="Publish (tells matching volunteers), cancel (with a reason) or finish an activity",
)
def activity_state(request: HttpRequest, activity_id: int, payload: ActivityStateIn):
    activity = _managed(request, activity_id)
    if payload.action == "publish":
        services.activity_publish(actor=request.user, activity=activity)
    elif payload.action == "cancel":
        services.activity_cancel(actor=request.user, activity=activity, reason=payload.reason)
    else:
        services.activity_finish(actor=request.user, activity=activity)
    return activity_payload(selectors.activity_visible(user=request.user, activity_id=activity_id))


@router.get(
    "/volunteering/manage/activities",
    response=list[ActivityOut],
    operation_id="volunteering_activities_managed",
    summary="Activities within the caller's scope (organisers, region admins, auditors)",
)
@paginate(Paged)
def activities_managed(request: HttpRequest, filters: Query[ActivityFilters]):
    require(request.user, "activity.view")
    return SerialisedPage(
        selectors.activities_managed(actor=request.user, status=filters.status), activity_payload
    )


@router.post(
    "/volunteering/activities/{activity_id}/signup",
    response={200: SignUpOut, 201: SignUpOut},
    operation_id="volunteering_signup",
    summary="Sign up: confirmed while places last, otherwise on the waiting list",
)
def signup(request: HttpRequest, activity_id: int):
    row, created = services.signup_create(activity_id=activity_id, user=request.user)
    return (201 if created else 200), _signup_payload(row)


@router.delete(
    "/volunteering/activities/{activity_id}/signup",
    response=SignUpOut,
    operation_id="volunteering_signup_cancel",
    summary="Cancel my sign-up (until the start); the first waiting person moves up",
)
def signup_cancel(request: HttpRequest, activity_id: int):
    return _signup_payload(services.signup_cancel(activity_id=activity_id, user=request.user))


def _signup_payload(row) -> dict:
    return {
        "id": row.pk,
        "activity_id": row.activity_id,
        "activity_title": row.activity.title,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "created_at": row.created_at,
        "promoted_at": row.promoted_at,
    }


@router.get(
    "/me/volunteering/signups",
    response=list[SignUpOut],
    operation_id="me_volunteering_signups",
    summary="My sign-ups, latest activity first",
)
@paginate(Paged)
def my_signups(request: HttpRequest):
    return SerialisedPage(selectors.signups_of(user=request.user), _signup_payload)


@router.post(
    "/volunteering/activities/{activity_id}/attendance",
    response=AttendanceOut,
    operation_id="volunteering_attend",
    summary="Check in or out, with the organiser's code or at the activity's station",
    description="Send `code` (the organiser's activity QR) or `station_uuid` (the station's QR).",
)
def attend(request: HttpRequest, activity_id: int, payload: AttendIn):
    activity = _visible(request, activity_id)
    method = _method_for(activity, payload.code, payload.station_uuid)
    if payload.action == "check_in":
        attendance, _ = services.attendance_check_in(
            activity=activity, user=request.user, method=method
        )
    else:
        attendance = services.attendance_check_out(
            activity=activity, user=request.user, method=method
        )
    return attendance_payload(attendance)


def _method_for(activity: Activity, code: UUID | None, station_uuid: UUID | None) -> str:
    if code is not None and code == activity.checkin_token:
        return Attendance.Method.ORGANISER_CODE
    if station_uuid is not None and activity.station_id and station_uuid == activity.station.uuid:
        return Attendance.Method.STATION_QR
    raise InvalidInput(
        "Scan the activity's code or its station's code.",
        code="invalid_checkin_code",
        errors=[{"field": "code", "msg": "not this activity's code"}],
    )


@router.get(
    "/volunteering/activities/{activity_id}/roster",
    response=list[RosterRowOut],
    operation_id="volunteering_roster",
    summary="Everyone signed up for an activity, with their attendance (organisers)",
)
@paginate(Paged)
def roster(request: HttpRequest, activity_id: int):
    activity = get_permitted(request.user, "activity.view", Activity.objects, pk=activity_id)

    def row(signup) -> dict:
        attendance = next(iter(signup.attendances.all()), None)
        return {
            "signup_id": signup.pk,
            "user": {"id": signup.user_id, "name": str(signup.user)},
            "status": signup.status,
            "attendance": attendance_payload(attendance) if attendance else None,
        }

    return SerialisedPage(selectors.activity_roster(activity=activity), row)


@router.post(
    "/volunteering/activities/{activity_id}/attendance/record",
    response=AttendanceOut,
    operation_id="volunteering_attendance_record",
    summary="The organiser records when a volunteer was there",
)
def attendance_record(request: HttpRequest, activity_id: int, payload: RecordIn):
    from django.contrib.auth import get_user_model

    activity = _managed(request, activity_id)
    user = get_user_model().objects.filter(pk=payload.user_id).first()
    if user is None:
        raise InvalidInput(
            "No such person.", code="unknown_user", errors=[{"field": "user_id", "msg": "unknown"}]
        )
    attendance = services.attendance_record(
        actor=request.user,
        activity=activity,
        user=user,
        checked_in_at=payload.checked_in_at,
        checked_out_at=payload.checked_out_at,
    )
    return attendance_payload(attendance)


@router.post(
    "/volunteering/attendances/{attendance_id}/confirm",
    response=AttendanceOut,
    operation_id="volunteering_attendance_confirm",
    summary="Confirm a volunteer's hours (another figure needs a reason, and is audited)",
)
def attendance_confirm(request: HttpRequest, attendance_id: int, payload: ConfirmIn):
    attendance = services.attendance_confirm(
        actor=request.user,
        attendance_id=attendance_id,
        minutes=payload.minutes,
        reason=payload.reason,
    )
    return attendance_payload(attendance)


@router.get(
    "/me/volunteering/hours",
    response=MyHoursOut,
    operation_id="me_volunteering_hours",
    summary="My confirmed volunteer hours",
)
def my_hours(request: HttpRequest):
    rows = selectors.hours_of(user=request.user)
    return {
        "total_minutes": selectors.total_minutes(user=request.user),
        "items": [attendance_payload(a) for a in rows],
    }


@router.get(
    "/me/volunteering/certificate.pdf",
    operation_id="me_volunteering_certificate",
    summary="A PDF certificate of my confirmed volunteer hours",
    response={200: None},
)
def my_certificate(request: HttpRequest):
    from .certificate import certificate_pdf

    return HttpResponse(
        certificate_pdf(user=request.user),
        content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="volunteer-hours.pdf"'},
    )


@router.get(
    "/volunteering/hours",
    response=list[HoursRowOut],
    operation_id="volunteering_hours",
    summary="Confirmed hours per team or per district within the caller's scope",
)
def hours(request: HttpRequest, group: Literal["team", "region"] = "team"):
    require(request.user, "hours.view")
    return selectors.hours_by(actor=request.user, group=group)


@router.post(
    "/volunteering/visits",
    response={200: VisitOut, 201: VisitOut},
    operation_id="volunteering_visit_record",
    summary="Record a visit to a station by its QR code (once per station and day)",
)
def visit_record(request: HttpRequest, payload: VisitIn):
    station = stations_selectors.station_by_uuid(station_uuid=payload.station_uuid)
    if station is None:
        raise NotFound("No such station.", code="station_not_found")
    visit, created = stations_services.visit_record(user=request.user, station=station)
    body = {
        "id": visit.pk,
        "station_id": station.pk,
        "day": visit.day.isoformat(),
        "visited_at": visit.visited_at,
        "created": created,
    }
    return (201 if created else 200), body
