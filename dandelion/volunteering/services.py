"""Every write of the volunteering app: activities and their states, sign-ups with a waiting
list, attendance and confirmed hours."""

import math
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.core.events import publish
from dandelion.core.permissions import can
from dandelion.notifications.services import notification_send

from .events import HoursConfirmed
from .models import Activity, ActivityEvent, Attendance, SignUp
from .selectors import member_of

# Volunteers may check in from an hour before the start, and check out until six hours after
# the end (the credited time is clipped to the activity's window anyway).
CHECK_IN_EARLY = timedelta(hours=1)
CHECK_OUT_LATE = timedelta(hours=6)
# Published activities are finished automatically this long after their end.
AUTO_FINISH_AFTER = timedelta(hours=12)
MAX_SKILLS = 10

ACTIVITY_FIELDS = {
    "title",
    "description",
    "station",
    "address",
    "lat",
    "lng",
    "region",
    "starts_at",
    "ends_at",
    "capacity",
    "skills",
    "points_per_hour",
    "visibility",
}


def overlap_minutes(
    start: datetime, end: datetime | None, window_start: datetime, window_end: datetime
) -> int:
    """Whole minutes of [start, end] that fall inside [window_start, window_end]; 0 without an
    end or without overlap."""
    if end is None:
        return 0
    seconds = (min(end, window_end) - max(start, window_start)).total_seconds()
    return max(0, math.floor(seconds / 60))


def _invalid(message: str, code: str, field: str, msg: str) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[{"field": field, "msg": msg}])


def _skills_clean(skills: Any) -> list[str]:
    if skills is None:
        return []
    if not isinstance(skills, list | tuple) or len(skills) > MAX_SKILLS:
        raise _invalid("At most 10 skills.", "invalid_skills", "skills", "at most 10")
    cleaned = []
    for skill in skills:
        if not isinstance(skill, str) or not skill.strip() or len(skill.strip()) > 20:
            raise _invalid(
                "Each skill is 1 to 20 characters.", "invalid_skills", "skills", "1–20 characters"
            )
        if skill.strip() not in cleaned:
            cleaned.append(skill.strip())
    return cleaned


def _apply_place(activity: Activity) -> None:
    """A station gives the address, point and region; otherwise all three are required."""
    if activity.station_id:
        station = activity.station
        activity.address = activity.address or station.address
        activity.lat, activity.lng = station.lat, station.lng
        activity.region = station.region
    missing = [
        name
        for name, value in (
            ("address", activity.address),
            ("lat", activity.lat),
            ("lng", activity.lng),
            ("region", getattr(activity, "region_id", None)),
        )
        if value in (None, "")
    ]
    if missing:
        raise InvalidInput(
            "Give a station, or an address with a point and a region.",
            code="place_required",
            errors=[{"field": name, "msg": "required without a station"} for name in missing],
        )
    activity.city_code = activity.region.city_code


def _validated_save(activity: Activity) -> Activity:
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        raise _invalid(
            "The end must be after the start.", "invalid_window", "ends_at", "after start"
        )
    try:
        activity.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors = [
            {"field": field, "msg": " ".join(str(m) for m in messages)}
            for field, messages in exc.message_dict.items()
        ]
        raise InvalidInput(
            "The activity is not valid.", code="invalid_activity", errors=errors
        ) from exc
    activity.save()
    return activity


def _event(activity: Activity, from_status: str, actor, note: str = "") -> None:
    ActivityEvent.objects.create(
        activity=activity,
        from_status=from_status,
        to_status=activity.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:200],
    )


def _require_manage(actor, activity: Activity) -> None:
    if not can(actor, "activity.manage", activity):
        raise PermissionDenied("You may not manage this activity.", code="permission_denied")


@transaction.atomic
def activity_create(*, actor, organisation, **fields) -> Activity:
    """A draft activity of `organisation`; the actor must manage that organisation's
    activities (its leader, or a region admin over it)."""
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_fields")
    if not can(actor, "activity.manage", organisation):
        raise PermissionDenied(
            "You may not publish activities for this organisation.", code="permission_denied"
        )
    fields["skills"] = _skills_clean(fields.get("skills"))
    activity = Activity(organisation=organisation, created_by=actor, **fields)
    _apply_place(activity)
    _validated_save(activity)
    _event(activity, "", actor)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, changes: dict) -> Activity:
    """Change a draft. A published activity keeps its time and place (volunteers signed up for
    them); only its text and a larger capacity can change."""
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_fields")
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_manage(actor, locked)
    if locked.status == Activity.Status.PUBLISHED:
        allowed = {"title", "description", "capacity", "skills"}
        if set(changes) - allowed:
            raise Conflict(
                "A published activity keeps its time and place.",
                code="activity_published",
                extra={"status": locked.status},
            )
        if "capacity" in changes and changes["capacity"] < locked.capacity:
            raise Conflict(
                "The capacity of a published activity only grows.", code="capacity_shrinks"
            )
    elif locked.status != Activity.Status.DRAFT:
        raise Conflict(
            f"A {locked.status} activity cannot change.",
            code="activity_closed",
            extra={"status": locked.status},
        )
    if "skills" in changes:
        changes["skills"] = _skills_clean(changes["skills"])
    for field, value in changes.items():
        setattr(locked, field, value)
    if {"station", "address", "lat", "lng", "region"} & set(changes):
        _apply_place(locked)
    _validated_save(locked)
    if locked.status == Activity.Status.PUBLISHED and "capacity" in changes:
        _promote_waiting(locked)
    return locked


def _move(activity: Activity, to: str, actor, note: str = "") -> Activity:
    if to not in Activity.TRANSITIONS[activity.status]:
        raise Conflict(
            f"A {activity.status} activity cannot become {to}.",
            code="illegal_transition",
            extra={"status": activity.status, "to": to},
        )
    before = activity.status
    activity.status = to
    activity.save(update_fields=["status", "published_at", "cancel_reason", "updated_at"])
    _event(activity, before, actor, note)
    return activity


def volunteers_matching(activity: Activity):
    """Registered volunteers to tell about an activity: volunteers working in the activity's
    district (the place is in their part of the city), with one of the wanted skills when it
    names any; for a team-only activity, the team's active members."""
    from django.contrib.auth import get_user_model

    from dandelion.orgs.models import Membership

    users = get_user_model().objects.filter(
        is_active=True,
        worker_profile__is_volunteer=True,
        worker_profile__consent_withdrawn_at__isnull=True,
    )
    if activity.visibility == Activity.Visibility.TEAM:
        users = users.filter(
            memberships__organisation__path__startswith=activity.organisation.path,
            memberships__status=Membership.Status.ACTIVE,
        )
    else:
        users = users.filter(worker_profile__work_region__code__startswith=activity.region.code[:6])
    users = list(users.select_related("worker_profile").distinct())
    if activity.skills:
        wanted = set(activity.skills)
        users = [u for u in users if wanted & set(u.worker_profile.skills or [])]
    return users


@transaction.atomic
def activity_publish(*, actor, activity: Activity) -> Activity:
    """Open sign-ups and tell the matching volunteers (their inbox, and SMS/WeChat if on)."""
    locked = (
        Activity.objects.select_for_update()
        .select_related("organisation", "region")
        .get(pk=activity.pk)
    )
    _require_manage(actor, locked)
    if locked.starts_at <= timezone.now():
        raise Conflict("An activity that has started cannot be published.", code="activity_started")
    locked.published_at = timezone.now()
    _move(locked, Activity.Status.PUBLISHED, actor)
    recipients = volunteers_matching(locked)
    notification_send(
        recipients=recipients,
        kind="volunteering.activity_published",
        params={
            "title": locked.title,
            "organisation": locked.organisation.name,
            "starts_at": timezone.localtime(locked.starts_at).strftime("%m-%d %H:%M"),
        },
        url=f"/volunteer/activities/{locked.pk}/",
    )
    return locked


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel, with a reason every signed-up volunteer is told."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(
            "Say why the activity is cancelled.", "reason_required", "reason", "required"
        )
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_manage(actor, locked)
    locked.cancel_reason = reason[:200]
    _move(locked, Activity.Status.CANCELLED, actor, reason)
    signed = [
        s.user
        for s in locked.signups.filter(status__in=SignUp.OPEN_STATUSES).select_related("user")
    ]
    notification_send(
        recipients=signed,
        kind="volunteering.activity_cancelled",
        params={"title": locked.title, "reason": locked.cancel_reason},
        url=f"/volunteer/activities/{locked.pk}/",
    )
    return locked


@transaction.atomic
def activity_finish(*, actor, activity: Activity) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if actor is not None:
        _require_manage(actor, locked)
    if locked.starts_at > timezone.now():
        raise Conflict(
            "An activity that has not started cannot finish.", code="activity_not_started"
        )
    return _move(locked, Activity.Status.FINISHED, actor)


def activities_finish_due() -> int:
    """Finish published activities that ended a while ago (a periodic job)."""
    due = Activity.objects.filter(
        status=Activity.Status.PUBLISHED, ends_at__lte=timezone.now() - AUTO_FINISH_AFTER
    ).values_list("pk", flat=True)[:200]
    done = 0
    for pk in list(due):
        with transaction.atomic():
            locked = (
                Activity.objects.select_for_update()
                .filter(pk=pk, status=Activity.Status.PUBLISHED)
                .first()
            )
            if locked is not None:
                _move(locked, Activity.Status.FINISHED, None, "auto")
                done += 1
    return done


def _may_join(user, activity: Activity) -> bool:
    if activity.visibility == Activity.Visibility.PUBLIC:
        return True
    return member_of(user=user, organisation=activity.organisation)


@transaction.atomic
def signup_create(*, activity_id: int, user) -> tuple[SignUp, bool]:
    """Sign up: confirmed while places are left, otherwise on the waiting list. The activity's
    row lock makes the count and the insert one step, so capacity is never exceeded. Signing
    up again returns the existing place (`False`)."""
    activity = (
        Activity.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=activity_id)
        .first()
    )
    if (
        activity is None
        or activity.status == Activity.Status.DRAFT
        or not _may_join(user, activity)
    ):
        raise NotFound("No such activity.", code="activity_not_found")
    existing = activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
    if existing is not None:
        return existing, False
    if activity.status != Activity.Status.PUBLISHED:
        raise Conflict(
            f"This activity is {activity.status}.",
            code="activity_closed",
            extra={"status": activity.status},
        )
    now = timezone.now()
    if activity.starts_at <= now:
        raise Conflict("This activity has started.", code="activity_started")
    confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    status = SignUp.Status.CONFIRMED if confirmed < activity.capacity else SignUp.Status.WAITING
    signup = SignUp.objects.create(activity=activity, user=user, status=status, created_at=now)
    return signup, True


def _promote_waiting(activity: Activity) -> list[SignUp]:
    """Move the first waiting people up while places are free; the caller holds the lock."""
    free = activity.capacity - activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    if free <= 0:
        return []
    waiting = list(
        activity.signups.filter(status=SignUp.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for signup in waiting:
        signup.status = SignUp.Status.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
    if waiting:
        notification_send(
            recipients=[s.user for s in waiting],
            kind="volunteering.signup_promoted",
            params={"title": activity.title},
            url=f"/volunteer/activities/{activity.pk}/",
        )
    return waiting


@transaction.atomic
def signup_cancel(*, activity_id: int, user) -> SignUp:
    """Cancel one's place, until the activity starts; the first waiting person moves up."""
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    signup = (
        activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
        if activity
        else None
    )
    if signup is None:
        raise NotFound("You are not signed up for this activity.", code="signup_not_found")
    if activity.starts_at <= timezone.now():
        raise Conflict("The activity has started; ask the organiser.", code="activity_started")
    was_confirmed = signup.status == SignUp.Status.CONFIRMED
    signup.status = SignUp.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if was_confirmed and activity.status == Activity.Status.PUBLISHED:
        _promote_waiting(activity)
    return signup


def _confirmed_signup(activity: Activity, user) -> SignUp:
    signup = activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
    if signup is None:
        raise Conflict("You are not signed up for this activity.", code="not_signed_up")
    if signup.status != SignUp.Status.CONFIRMED:
        raise Conflict("You are on the waiting list.", code="signup_waiting")
    return signup


def _attendance_open(activity: Activity) -> None:
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.FINISHED):
        raise Conflict(
            f"This activity is {activity.status}.",
            code="activity_closed",
            extra={"status": activity.status},
        )


@transaction.atomic
def attendance_check_in(
    *, activity: Activity, user, method: str, at: datetime | None = None
) -> tuple[Attendance, bool]:
    """Check in from an hour before the start until the end. Checking in again returns the
    first check-in."""
    at = at or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _attendance_open(activity)
    signup = _confirmed_signup(activity, user)
    existing = Attendance.objects.filter(activity=activity, user=user).first()
    if existing is not None:
        return existing, False
    if at < activity.starts_at - CHECK_IN_EARLY:
        raise Conflict(
            "Check-in opens an hour before the start.",
            code="too_early",
            extra={"opens_at": (activity.starts_at - CHECK_IN_EARLY).isoformat()},
        )
    if at >= activity.ends_at:
        raise Conflict("The activity has ended.", code="activity_ended")
    attendance = Attendance.objects.create(
        activity=activity, user=user, signup=signup, checked_in_at=at, check_in_method=method
    )
    return attendance, True


@transaction.atomic
def attendance_check_out(
    *, activity: Activity, user, method: str, at: datetime | None = None
) -> Attendance:
    at = at or timezone.now()
    attendance = Attendance.objects.select_for_update().filter(activity=activity, user=user).first()
    if attendance is None:
        raise Conflict("Check in first.", code="not_checked_in")
    if attendance.checked_out_at is not None:
        raise Conflict("You have checked out already.", code="already_checked_out")
    if at > activity.ends_at + CHECK_OUT_LATE:
        raise Conflict("Check-out has closed; ask the organiser.", code="check_out_closed")
    attendance.checked_out_at = max(at, attendance.checked_in_at)
    attendance.check_out_method = method
    attendance.computed_minutes = overlap_minutes(
        attendance.checked_in_at, attendance.checked_out_at, activity.starts_at, activity.ends_at
    )
    attendance.save(update_fields=["checked_out_at", "check_out_method", "computed_minutes"])
    return attendance


def activity_for_code(*, token) -> Activity:
    activity = (
        Activity.objects.select_related("organisation", "station")
        .filter(checkin_token=token)
        .first()
    )
    if activity is None:
        raise NotFound("This activity code is not valid.", code="activity_code_invalid")
    return activity


@transaction.atomic
def attendance_record(
    *, actor, activity: Activity, user, checked_in_at: datetime, checked_out_at: datetime | None
) -> Attendance:
    """The organiser records (or corrects, until confirmed) when a volunteer was there."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_manage(actor, activity)
    _attendance_open(activity)
    if checked_out_at is not None and checked_out_at < checked_in_at:
        raise _invalid(
            "Check-out is before check-in.", "invalid_times", "checked_out_at", "after check-in"
        )
    signup = _confirmed_signup(activity, user)
    attendance = Attendance.objects.select_for_update().filter(activity=activity, user=user).first()
    if attendance is not None and attendance.confirmed_at is not None:
        raise Conflict("These hours are confirmed.", code="already_confirmed")
    if attendance is None:
        attendance = Attendance(activity=activity, user=user, signup=signup)
    attendance.checked_in_at = checked_in_at
    attendance.checked_out_at = checked_out_at
    attendance.check_in_method = Attendance.Method.ORGANISER
    attendance.check_out_method = Attendance.Method.ORGANISER if checked_out_at else ""
    attendance.computed_minutes = (
        overlap_minutes(checked_in_at, checked_out_at, activity.starts_at, activity.ends_at)
        if checked_out_at
        else None
    )
    attendance.save()
    audit_record(
        actor=actor,
        action="volunteering.attendance_recorded",
        subject=user,
        target=attendance,
        region_code=activity.region.code,
        detail={
            "checked_in_at": checked_in_at.isoformat(),
            "checked_out_at": checked_out_at.isoformat() if checked_out_at else None,
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
    attendance = Attendance.objects.select_for_update().filter(pk=attendance_id).first()
    if attendance is None:
        raise NotFound("No such attendance.", code="attendance_not_found")
    activity = Activity.objects.select_related("region", "organisation").get(
        pk=attendance.activity_id
    )
    _require_manage(actor, activity)
    _attendance_open(activity)
    if attendance.confirmed_at is not None:
        raise Conflict("These hours are confirmed already.", code="already_confirmed")
    computed = overlap_minutes(
        attendance.checked_in_at, attendance.checked_out_at, activity.starts_at, activity.ends_at
    )
    reason = (reason or "").strip()
    if minutes is None:
        if attendance.checked_out_at is None:
            raise Conflict(
                "The volunteer has not checked out: record the time or give the minutes.",
                code="not_checked_out",
            )
        credited = computed
    else:
        window = math.ceil((activity.ends_at - activity.starts_at).total_seconds() / 60)
        if minutes < 0 or minutes > window:
            raise _invalid(
                "Minutes are between 0 and the activity's length.",
                "invalid_minutes",
                "minutes",
                f"0–{window}",
            )
        credited = minutes
    if credited != computed and not reason:
        raise _invalid(
            "Say why the hours differ from the attendance.",
            "reason_required",
            "reason",
            "required when adjusting",
        )
    attendance.computed_minutes = computed
    attendance.credited_minutes = credited
    attendance.adjust_reason = reason[:200] if credited != computed else ""
    attendance.confirmed_at = timezone.now()
    attendance.confirmed_by = actor
    attendance.save(
        update_fields=[
            "computed_minutes",
            "credited_minutes",
            "adjust_reason",
            "confirmed_at",
            "confirmed_by",
        ]
    )
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
