"""Attendance (签到): arrive and leave with the activity's code or at its station; for
organisers the roster, record and confirm."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import attendance_payload, roster_row_payload
from .schemas import (
    AttendanceConfirmIn,
    AttendanceOut,
    AttendanceRecordIn,
    AttendIn,
    RosterRowOut,
)

router = Router(tags=["volunteering"])


@router.post(
    "/volunteering/activities/{activity_id}/attendance",
    response={200: AttendanceOut, **problems(404, 409)},
    operation_id="volunteering_attend",
    summary="Arrive (签到) or leave (签退), with the activity's code or at its station",
    description=(
        "Send `code` (the activity's attendance QR) or `station_code` (the visit code of its "
        "station's QR). With `station_code`, a device location (`lat`, `lng`) farther than "
        "`STATION_VISIT_RADIUS_M` from the station is refused (422 `too_far_from_station`)."
    ),
)
def attend(request: HttpRequest, activity_id: int, payload: AttendIn):
    activity = selectors.activity_get_visible(user=request.user, activity_id=activity_id)
    method = services.attendance_method(
        activity=activity,
        code=payload.code,
        station_code=payload.station_code,
        lat=payload.lat,
        lng=payload.lng,
        accuracy_m=payload.accuracy_m,
    )
    if payload.action == "arrive":
        attendance, _created = services.attendance_arrive(
            activity=activity, user=request.user, method=method
        )
    else:
        attendance = services.attendance_leave(activity=activity, user=request.user, method=method)
    return attendance_payload(attendance)


@router.get(
    "/volunteering/activities/{activity_id}/roster",
    response={200: list[RosterRowOut], **problems(403, 404)},
    operation_id="volunteering_roster",
    summary="Everyone signed up for an activity, with their attendance (organisers)",
)
@paginate(Paged)
def roster(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get_permitted(actor=request.user, activity_id=activity_id)
    return SerialisedPage(selectors.activity_roster(activity=activity), roster_row_payload)


@router.post(
    "/volunteering/activities/{activity_id}/attendance/record",
    response={200: AttendanceOut, **problems(403, 404, 409)},
    operation_id="volunteering_attendance_record",
    summary="The organiser records when a volunteer was there",
)
def attendance_record(request: HttpRequest, activity_id: int, payload: AttendanceRecordIn):
    activity = selectors.activity_get_permitted(
        actor=request.user, activity_id=activity_id, action="activity.manage"
    )
    attendance = services.attendance_record(
        actor=request.user,
        activity=activity,
        user=selectors.volunteer_for_record(user_id=payload.user_id),
        arrived_at=payload.arrived_at,
        left_at=payload.left_at,
    )
    return attendance_payload(attendance)


@router.post(
    "/volunteering/attendances/{attendance_id}/confirm",
    response={200: AttendanceOut, **problems(403, 404, 409)},
    operation_id="volunteering_attendance_confirm",
    summary="Confirm a volunteer's hours (another figure needs a reason, and is audited)",
)
def attendance_confirm(request: HttpRequest, attendance_id: int, payload: AttendanceConfirmIn):
    attendance = services.attendance_confirm(
        actor=request.user,
        attendance_id=attendance_id,
        minutes=payload.minutes,
        reason=payload.reason,
    )
    return attendance_payload(attendance)
