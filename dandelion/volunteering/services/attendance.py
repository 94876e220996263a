"""Attendance (签到) and hours: a volunteer arrives and leaves by scanning the activity's code
or its station's, the organiser records or corrects the times and confirms the hours
(`workflow.ATTENDANCE`). Confirmed hours are announced as `volunteering.hours_confirmed`."""

import hmac
import math
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, CoreError, InvalidInput, field_error
from dandelion.core.events import publish
from dandelion.core.permissions import require
from dandelion.core.workflow import transition
from dandelion.notifications.services import notification_send
from dandelion.stations.selectors import visit_location_check

from ..errors import VolunteeringError
from ..events import HoursConfirmed
from ..models import Activity, Attendance, AttendanceEvent, SignUp
from ..selectors import ATTENDANCE_OPENS_BEFORE, LEAVING_CLOSES_AFTER, attendance_get
from ..workflow import ATTENDANCE, ORGANISER, VOLUNTEER


def overlap_minutes(
    start: datetime, end: datetime | None, window_start: datetime, window_end: datetime
) -> int:
    """Whole minutes of [start, end] that fall inside [window_start, window_end]; 0 without an
    end or without overlap."""
    if end is None:
        return 0
    seconds = (min(end, window_end) - max(start, window_start)).total_seconds()
    return max(0, math.floor(seconds / 60))


def _confirmed_signup(activity: Activity, user) -> SignUp:
    signup = activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
    if signup is None:
        raise Conflict(_("你没有报名这个活动。"), code=VolunteeringError.NOT_SIGNED_UP)
    if signup.status != SignUp.Status.CONFIRMED:
        raise Conflict(
            _("你在候补名单中，转为正式报名后才能签到。"), code=VolunteeringError.SIGNUP_WAITING
        )
    return signup


def _attendance_open(activity: Activity) -> None:
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.FINISHED):
        raise Conflict(
            _("活动未发布或已取消。"),
            code=VolunteeringError.ACTIVITY_CLOSED,
            extra={"entity": "activity", "state": activity.status},
        )


@transaction.atomic
def attendance_arrive(
    *, activity: Activity, user, method: str, at: datetime | None = None
) -> tuple[Attendance, bool]:
    """Arrive (签到) from an hour before the start until the end. Arriving again returns the
    first arrival (`False`)."""
    at = at or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _attendance_open(activity)
    signup = _confirmed_signup(activity, user)
    existing = Attendance.objects.filter(activity=activity, user=user).first()
    if existing is not None:
        return existing, False
    opens = activity.starts_at - ATTENDANCE_OPENS_BEFORE
    if at < opens:
        raise Conflict(
            _("签到在活动开始前 1 小时开放。"),
            code=VolunteeringError.ATTENDANCE_NOT_OPEN,
            extra={"opens_at": opens.isoformat()},
        )
    if at >= activity.ends_at:
        raise Conflict(_("活动已结束，不能再签到。"), code=VolunteeringError.ACTIVITY_ENDED)
    attendance = Attendance.objects.create(
        activity=activity, user=user, signup=signup, arrived_at=at, arrival_method=method
    )
    AttendanceEvent.objects.create(
        attendance=attendance,
        action="arrive",
        from_state="",
        to_state=attendance.state,
        actor=user,
        actor_role=VOLUNTEER,
        created_at=at,
    )
    return attendance, True


@transaction.atomic
def attendance_leave(
    *, activity: Activity, user, method: str, at: datetime | None = None
) -> Attendance:
    """Leave (签退), until six hours after the end; the minutes are the overlap with the
    activity's window."""
    at = at or timezone.now()
    attendance = Attendance.objects.filter(activity=activity, user=user).first()
    if attendance is None:
        raise Conflict(_("请先签到。"), code=VolunteeringError.NOT_ARRIVED)

    def still_open(locked: Attendance, move) -> None:
        if at > activity.ends_at + LEAVING_CLOSES_AFTER:
            raise Conflict(_("签退时间已过，请联系组织者。"), code=VolunteeringError.LEAVING_CLOSED)

    def left(locked: Attendance, move) -> list[str]:
        locked.left_at = max(at, locked.arrived_at)
        locked.leaving_method = method
        locked.computed_minutes = overlap_minutes(
            locked.arrived_at, locked.left_at, activity.starts_at, activity.ends_at
        )
        return ["left_at", "leaving_method", "computed_minutes"]

    return transition(
        ATTENDANCE,
        attendance,
        "leave",
        actor=user,
        actor_role=VOLUNTEER,
        event_model=AttendanceEvent,
        event_fk="attendance",
        at=at,
        guard=still_open,
        changes=left,
    ).obj


@transaction.atomic
def attendance_record(
    *, actor, activity: Activity, user, arrived_at: datetime, left_at: datetime | None
) -> Attendance:
    """The organiser records (or corrects, until confirmed) when a volunteer was there."""
    activity = Activity.objects.select_for_update().select_related("region").get(pk=activity.pk)
    # The activity's organisers may record; a first record creates the attendance, so the right
    # is asked of the activity (the table's `record` asks it again of an existing row).
    require(actor, "activity.manage", activity)
    if left_at is not None and left_at < arrived_at:
        message = _("签退时间早于签到时间。")
        raise InvalidInput(
            message,
            code=VolunteeringError.INVALID_TIMES,
            errors=[field_error("left_at", VolunteeringError.INVALID_TIMES, message)],
        )
    action = "record" if left_at is not None else "record_arrival"
    attendance = Attendance.objects.filter(activity=activity, user=user).first()
    method = Attendance.Method.ORGANISER

    def times(locked: Attendance, move) -> list[str]:
        locked.arrived_at = arrived_at
        locked.left_at = left_at
        locked.arrival_method = method
        locked.leaving_method = method if left_at else ""
        locked.computed_minutes = (
            overlap_minutes(arrived_at, left_at, activity.starts_at, activity.ends_at)
            if left_at
            else None
        )
        return ["arrived_at", "left_at", "arrival_method", "leaving_method", "computed_minutes"]

    if attendance is None:
        _attendance_open(activity)
        signup = _confirmed_signup(activity, user)
        attendance = Attendance(activity=activity, user=user, signup=signup)
        times(attendance, None)
        attendance.state = ATTENDANCE.by_action[action][0].target
        attendance.save()
        AttendanceEvent.objects.create(
            attendance=attendance,
            action=action,
            from_state="",
            to_state=attendance.state,
            actor=actor,
            actor_role=ORGANISER,
        )
    else:

        def still_open(locked: Attendance, move) -> None:
            _attendance_open(activity)
            _confirmed_signup(activity, user)

        attendance = transition(
            ATTENDANCE,
            attendance,
            action,
            actor=actor,
            actor_role=ORGANISER,
            event_model=AttendanceEvent,
            event_fk="attendance",
            guard=still_open,
            changes=times,
        ).obj
    audit_record(
        actor=actor,
        action="volunteering.attendance_recorded",
        subject=user,
        target=attendance,
        region_code=activity.region.code,
        detail={
            "arrived_at": arrived_at.isoformat(),
            "left_at": left_at.isoformat() if left_at else None,
        },
    )
    return attendance


@transaction.atomic
def attendance_confirm(
    *, actor, attendance_id: int, minutes: int | None = None, reason: str = ""
) -> Attendance:
    """The organiser confirms a volunteer's hours: the overlap of their attendance with the
    activity's window, or another figure with a reason (audited). Confirmed hours are final and
    announced (`volunteering.hours_confirmed`), which the points app turns into an award."""
    attendance = attendance_get(actor=actor, attendance_id=attendance_id)
    activity = Activity.objects.select_related("region", "organisation").get(
        pk=attendance.activity_id
    )
    reason = (reason or "").strip()
    now = timezone.now()
    figures: dict[str, int] = {}

    def hours_clear(locked: Attendance, move) -> None:
        _attendance_open(activity)
        computed = overlap_minutes(
            locked.arrived_at, locked.left_at, activity.starts_at, activity.ends_at
        )
        if minutes is None:
            if locked.left_at is None:
                raise Conflict(
                    _("志愿者还没有签退：请登记签退时间，或直接填写时长。"),
                    code=VolunteeringError.NOT_LEFT,
                )
            credited = computed
        else:
            window = math.ceil((activity.ends_at - activity.starts_at).total_seconds() / 60)
            if minutes < 0 or minutes > window:
                message = _("时长在 0 到活动时长（%(window)s 分钟）之间。") % {"window": window}
                raise InvalidInput(
                    message,
                    code=VolunteeringError.INVALID_MINUTES,
                    errors=[field_error("minutes", VolunteeringError.INVALID_MINUTES, message)],
                )
            credited = minutes
        if credited != computed and not reason:
            message = _("调整时长时请填写原因。")
            raise InvalidInput(
                message,
                code=CoreError.REQUIRED,
                errors=[field_error("reason", CoreError.REQUIRED, message)],
            )
        figures.update(computed=computed, credited=credited)

    def confirmed(locked: Attendance, move) -> list[str]:
        locked.computed_minutes = figures["computed"]
        locked.credited_minutes = figures["credited"]
        locked.adjust_reason = reason[:200] if figures["credited"] != figures["computed"] else ""
        locked.confirmed_at = now
        locked.confirmed_by = actor
        return [
            "computed_minutes",
            "credited_minutes",
            "adjust_reason",
            "confirmed_at",
            "confirmed_by",
        ]

    attendance = transition(
        ATTENDANCE,
        attendance,
        "confirm",
        actor=actor,
        actor_role=ORGANISER,
        event_model=AttendanceEvent,
        event_fk="attendance",
        at=now,
        note=reason[:200],
        guard=hours_clear,
        changes=confirmed,
        queryset=Attendance.objects.select_related("user"),
    ).obj
    computed, credited = figures["computed"], figures["credited"]
    if credited != computed:
        audit_record(
            actor=actor,
            action="volunteering.hours_adjusted",
            subject=attendance.user,
            target=attendance,
            region_code=activity.region.code,
            detail={"computed_minutes": computed, "credited_minutes": credited, "reason": reason},
        )
    publish(
        HoursConfirmed(
            attendance_id=attendance.pk,
            activity_id=activity.pk,
            worker_id=attendance.user_id,
            minutes=credited,
            points_per_hour=activity.points_per_hour,
            region_code=activity.region.code,
            title=activity.title,
            ended_at=activity.ends_at,
            occurred_at=attendance.confirmed_at,
        )
    )
    notification_send(
        recipients=[attendance.user_id],
        kind="volunteering.hours_confirmed",
        params={"title": activity.title, "hours": f"{credited / 60:.1f}"},
        url="/volunteer/hours/",
    )
    return attendance


def attendance_method(
    *,
    activity: Activity,
    code,
    station_code,
    lat: float | None = None,
    lng: float | None = None,
    accuracy_m: float | None = None,
) -> str:
    """How the volunteer proved they are there: the activity's attendance code, or the visit
    code of the station it is held at (from the station's poster; the station's public uuid
    proves nothing). With the station's code, a device location sent along must be within
    `STATION_VISIT_RADIUS_M` of the station (`too_far_from_station`); `InvalidInput` for any
    other code."""
    if code is not None and str(code) == str(activity.attendance_code):
        return Attendance.Method.ORGANISER_CODE
    if (
        station_code
        and activity.station_id
        and hmac.compare_digest(str(station_code).encode(), activity.station.visit_code.encode())
    ):
        visit_location_check(station=activity.station, lat=lat, lng=lng, accuracy_m=accuracy_m)
        return Attendance.Method.STATION_QR
    message = _("请扫描本活动的签到码或活动所在驿站的二维码。")
    raise InvalidInput(
        message,
        code=VolunteeringError.INVALID_ATTENDANCE_CODE,
        errors=[field_error("code", VolunteeringError.INVALID_ATTENDANCE_CODE, message)],
    )
