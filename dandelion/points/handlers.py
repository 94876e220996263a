"""Awards for what other apps announce (`core.events`). Each handler works from the payload
alone, so it runs whether or not the producing app is installed here, and is idempotent: the
award's key is derived from the source (`report_accepted:123`), so a redelivered event awards
nothing twice."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime

from .models import EarningRule
from .services import award_from_event

logger = logging.getLogger(__name__)
Event = EarningRule.Event


def _user(user_id):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("points: no active user %s for an award", user_id)
    return user


def _when(value) -> datetime | None:
    if isinstance(value, str):
        return parse_datetime(value)
    return None


def _notify(result, user) -> None:
    if result is None or not result.created:
        return
    from dandelion.notifications.services import notification_send

    notification_send(
        recipients=[user],
        kind="points.awarded",
        params={"points": result.points, "memo": result.transfer.memo},
        url="/points/",
    )


def on_station_visit(payload: dict) -> None:
    user = _user(payload.get("user_id"))
    if user is None or not payload.get("visit_id"):
        return
    result = award_from_event(
        user=user,
        event=Event.STATION_VISIT,
        region_code=payload.get("region_code", ""),
        source_key=f"station_visit:{payload['visit_id']}",
        occurred_at=_when(payload.get("visited_at")),
        memo=f"驿站打卡 · {payload.get('station_name', '')}".strip(" ·"),
    )
    _notify(result, user)


def on_report_accepted(payload: dict) -> None:
    user = _user(payload.get("reporter_id"))
    if user is None or not payload.get("report_id"):
        return
    result = award_from_event(
        user=user,
        event=Event.REPORT_ACCEPTED,
        region_code=payload.get("region_code", ""),
        source_key=f"report_accepted:{payload['report_id']}",
        occurred_at=_when(payload.get("accepted_at")),
        memo="随手拍被采纳",
    )
    _notify(result, user)


def on_need_rated(payload: dict) -> None:
    user = _user(payload.get("worker_id"))
    if user is None or not payload.get("need_id"):
        return
    result = award_from_event(
        user=user,
        event=Event.NEED_RATED,
        region_code=payload.get("region_code", ""),
        source_key=f"need_rated:{payload['need_id']}",
        occurred_at=_when(payload.get("rated_at")),
        memo="评价诉求办理",
    )
    _notify(result, user)


def on_hours_confirmed(payload: dict) -> None:
    user = _user(payload.get("worker_id"))
    if user is None or not payload.get("attendance_id"):
        return
    minutes = int(payload.get("minutes") or 0)
    per_hour = payload.get("points_per_hour")
    result = award_from_event(
        user=user,
        event=Event.VOLUNTEER_HOUR,
        region_code=payload.get("region_code", ""),
        source_key=f"volunteer_hours:{payload['attendance_id']}",
        occurred_at=_when(payload.get("ended_at")),
        quantity=minutes / 60,
        # 0 is the organiser's choice of no points, not "use the rule's points".
        points_per_unit=int(per_hour) if per_hour is not None else None,
        memo=f"志愿服务 · {payload.get('title', '')}".strip(" ·"),
    )
    _notify(result, user)


SUBSCRIPTIONS = {
    "stations.visit_recorded": on_station_visit,
    "reports.report_accepted": on_report_accepted,
    "needs.need_rated": on_need_rated,
    "volunteering.hours_confirmed": on_hours_confirmed,
}
