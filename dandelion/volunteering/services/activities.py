"""Activities (志愿活动): create and change them, and move them through `workflow.ACTIVITY`
(publish, cancel, finish), announcing each move (`events`) and telling the volunteers
concerned."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    Conflict,
    CoreError,
    InvalidInput,
    PermissionDenied,
    field_error,
    validated_save,
)
from dandelion.core.events import publish
from dandelion.core.permissions import can
from dandelion.core.workflow import SYSTEM, transition
from dandelion.notifications.services import notification_send
from dandelion.orgs import selectors as orgs_selectors

from ..errors import VolunteeringError
from ..events import ActivityCancelled, ActivityFinished, ActivityPublished
from ..models import Activity, ActivityEvent, SignUp
from ..workflow import ACTIVITY, ORGANISER
from .signups import promote_waiting

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
# What a published activity may still change: volunteers signed up for its time and place.
PUBLISHED_FIELDS = {"title", "description", "capacity", "skills"}


def _fields_known(fields: dict) -> None:
    unknown = sorted(set(fields) - ACTIVITY_FIELDS)
    if unknown:
        raise InvalidInput(
            _("未知的字段：%(fields)s。") % {"fields": ", ".join(unknown)},
            code=CoreError.INVALID_INPUT,
            errors=[field_error(f, CoreError.INVALID_INPUT, _("未知的字段")) for f in unknown],
        )


def _skills_clean(skills: Any) -> list[str]:
    if skills is None:
        return []
    if not isinstance(skills, list | tuple) or len(skills) > MAX_SKILLS:
        message = _("最多填写 %(count)s 项技能。") % {"count": MAX_SKILLS}
        raise InvalidInput(
            message,
            code=VolunteeringError.INVALID_SKILLS,
            errors=[field_error("skills", VolunteeringError.INVALID_SKILLS, message)],
        )
    cleaned = []
    for skill in skills:
        if not isinstance(skill, str) or not skill.strip() or len(skill.strip()) > 20:
            message = _("每项技能 1 到 20 个字。")
            raise InvalidInput(
                message,
                code=VolunteeringError.INVALID_SKILLS,
                errors=[field_error("skills", VolunteeringError.INVALID_SKILLS, message)],
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
            _("请选择驿站，或填写地址、位置和所属区划。"),
            code=VolunteeringError.PLACE_REQUIRED,
            errors=[field_error(name, CoreError.REQUIRED, _("没有驿站时必填")) for name in missing],
        )
    activity.city_code = activity.region.city_code


def _save(activity: Activity) -> Activity:
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        message = _("结束时间要晚于开始时间。")
        raise InvalidInput(
            message,
            code=VolunteeringError.INVALID_WINDOW,
            errors=[field_error("ends_at", VolunteeringError.INVALID_WINDOW, message)],
        )
    return validated_save(activity, exclude=["created_by"])


@transaction.atomic
def activity_create(*, actor, organisation, **fields) -> Activity:
    """A draft activity of `organisation`; the actor must manage that organisation's
    activities (its leader, or a region admin over it)."""
    _fields_known(fields)
    if not can(actor, "activity.manage", organisation):
        raise PermissionDenied(
            _("你不能为这个组织发布活动。"),
            code=CoreError.PERMISSION_DENIED,
            extra={"action": "activity.manage"},
        )
    fields["skills"] = _skills_clean(fields.get("skills"))
    activity = Activity(organisation=organisation, created_by=actor, **fields)
    _apply_place(activity)
    _save(activity)
    ActivityEvent.objects.create(
        activity=activity,
        action="create",
        from_state="",
        to_state=activity.status,
        actor=actor,
        actor_role=ORGANISER,
    )
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, changes: dict) -> Activity:
    """Change a draft. A published activity keeps its time and place (volunteers signed up for
    them); only its text and a larger capacity can change. Whether the activity's state allows a
    change, and who may make it, is `workflow.ACTIVITY`'s `edit`; a change writes no event."""
    _fields_known(changes)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    ACTIVITY.check(locked, "edit", actor=actor, actor_role=ORGANISER)
    if locked.status == Activity.Status.PUBLISHED:
        if set(changes) - PUBLISHED_FIELDS:
            raise Conflict(
                _("已发布的活动不能修改时间和地点。"),
                code=VolunteeringError.ACTIVITY_PUBLISHED,
                extra={"entity": "activity", "state": locked.status},
            )
        if "capacity" in changes and changes["capacity"] < locked.capacity:
            raise Conflict(_("已发布活动的名额只能增加。"), code=VolunteeringError.CAPACITY_SHRINKS)
    if "skills" in changes:
        changes["skills"] = _skills_clean(changes["skills"])
    for field, value in changes.items():
        setattr(locked, field, value)
    if {"station", "address", "lat", "lng", "region"} & set(changes):
        _apply_place(locked)
    _save(locked)
    if locked.status == Activity.Status.PUBLISHED and "capacity" in changes:
        promote_waiting(locked)
    return locked


def volunteers_matching(activity: Activity):
    """Registered volunteers to tell about an activity: volunteers working in the activity's
    district (the place is in their part of the city), with one of the wanted skills when it
    names any; for a team-only activity, the team's active members."""
    users = get_user_model().objects.filter(
        is_active=True,
        worker_profile__is_volunteer=True,
        worker_profile__consent_withdrawn_at__isnull=True,
    )
    if activity.visibility == Activity.Visibility.TEAM:
        users = users.filter(
            pk__in=orgs_selectors.active_member_ids(organisation=activity.organisation)
        )
    else:
        users = users.filter(worker_profile__work_region__code__startswith=activity.region.code[:6])
    users = list(users.select_related("worker_profile").distinct())
    if activity.skills:
        wanted = set(activity.skills)
        users = [u for u in users if wanted & set(u.worker_profile.skills or [])]
    return users


def _activities() -> Any:
    return Activity.objects.select_related("organisation", "region")


def activity_recommendation_send(activity: Activity) -> list:
    """Tell the volunteers a published activity suits (`volunteers_matching`: their inbox, and
    SMS/WeChat if on), each once however often it is called; for the subscriber of
    `ActivityPublished` (`handlers.activity_recommend`)."""
    return notification_send(
        recipients=volunteers_matching(activity),
        kind="volunteering.activity_published",
        params={
            "title": activity.title,
            "organisation": activity.organisation.name,
            "starts_at": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M"),
        },
        url=f"/volunteer/activities/{activity.pk}/",
        once=True,
    )


@transaction.atomic
def activity_publish(*, actor, activity: Activity) -> Activity:
    """Open sign-ups and announce it (`ActivityPublished`); its subscriber tells the matching
    volunteers once the publication is committed."""

    def not_started(locked: Activity, move) -> None:
        if locked.starts_at <= timezone.now():
            raise Conflict(_("活动已经开始，不能再发布。"), code=VolunteeringError.ACTIVITY_STARTED)

    now = timezone.now()

    def published_at(locked: Activity, move) -> list[str]:
        locked.published_at = now
        return ["published_at", "updated_at"]

    locked = transition(
        ACTIVITY,
        activity,
        "publish",
        actor=actor,
        actor_role=ORGANISER,
        event_model=ActivityEvent,
        event_fk="activity",
        at=now,
        guard=not_started,
        changes=published_at,
        queryset=_activities(),
    ).obj
    _announce(ActivityPublished, locked, now, title=locked.title)
    return locked


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel, with a reason every signed-up volunteer is told."""
    reason = (reason or "").strip()[:200]
    if not reason:
        message = _("请说明取消活动的原因。")
        raise InvalidInput(
            message,
            code=CoreError.REQUIRED,
            errors=[field_error("reason", CoreError.REQUIRED, message)],
        )

    def cancel_reason(locked: Activity, move) -> list[str]:
        locked.cancel_reason = reason
        return ["cancel_reason", "updated_at"]

    now = timezone.now()
    moved = transition(
        ACTIVITY,
        activity,
        "cancel",
        actor=actor,
        actor_role=ORGANISER,
        event_model=ActivityEvent,
        event_fk="activity",
        note=reason,
        at=now,
        changes=cancel_reason,
        queryset=_activities(),
    )
    locked = moved.obj
    _announce(ActivityCancelled, locked, now, previous_status=moved.source)
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


def _started(locked: Activity, move) -> None:
    if locked.starts_at > timezone.now():
        raise Conflict(_("活动还没有开始，不能结束。"), code=VolunteeringError.ACTIVITY_NOT_STARTED)


def _touched(locked: Activity, move) -> list[str]:
    return ["updated_at"]


def _announce(event_type, activity: Activity, at: datetime, **fields) -> None:
    """Publish one of the activity's events (`events.py`), with what they all carry."""
    publish(
        event_type(
            occurred_at=at,
            activity_id=activity.pk,
            organisation_id=activity.organisation_id,
            region_code=activity.region.code,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            **fields,
        )
    )


def _finished_announce(activity: Activity, at: datetime) -> None:
    _announce(ActivityFinished, activity, at)


@transaction.atomic
def activity_finish(*, actor, activity: Activity) -> Activity:
    """The organiser finishes an activity that has started."""
    now = timezone.now()
    locked = transition(
        ACTIVITY,
        activity,
        "finish",
        actor=actor,
        actor_role=ORGANISER,
        event_model=ActivityEvent,
        event_fk="activity",
        at=now,
        guard=_started,
        changes=_touched,
        queryset=_activities(),
    ).obj
    _finished_announce(locked, now)
    return locked


def activities_finish_due() -> int:
    """Finish published activities that ended a while ago (a periodic job)."""
    due = Activity.objects.filter(
        status=Activity.Status.PUBLISHED, ends_at__lte=timezone.now() - AUTO_FINISH_AFTER
    ).values_list("pk", flat=True)[:200]
    done = 0
    for activity in Activity.objects.filter(pk__in=list(due)):
        now = timezone.now()
        try:
            with transaction.atomic():
                locked = transition(
                    ACTIVITY,
                    activity,
                    "finish",
                    actor=None,
                    actor_role=SYSTEM,
                    event_model=ActivityEvent,
                    event_fk="activity",
                    note="auto",
                    at=now,
                    changes=_touched,
                    queryset=_activities(),
                ).obj
                _finished_announce(locked, now)
        except Conflict:  # cancelled or finished by someone meanwhile
            continue
        done += 1
    return done
