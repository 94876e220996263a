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


def _award(
    payload: dict,
    *,
    user_key: str,
    source: str,
    id_key: str,
    event: str,
    when_key: str,
    memo: str,
    **extra,
) -> None:
    """Awards `event` to the payload's user under the key `source:<id>` (so a redelivery awards
    nothing twice), and tells them; does nothing without an active user or a source id."""
    user = _user(payload.get(user_key))
    if user is None or not payload.get(id_key):
        return
    result = award_from_event(
        user=user,
        event=event,
        region_code=payload.get("region_code", ""),
        source_key=f"{source}:{payload[id_key]}",
        occurred_at=_when(payload.get(when_key)),
        memo=memo,
        **extra,
    )
    _notify(result, user)


def on_station_visit(payload: dict) -> None:
    _award(
        payload,
        user_key="user_id",
        source="station_visit",
        id_key="visit_id",
        event=Event.STATION_VISIT,
        when_key="visited_at",
        memo=f"驿站打卡 · {payload.get('station_name', '')}".strip(" ·"),
    )


def on_report_accepted(payload: dict) -> None:
    _award(
        payload,
        user_key="reporter_id",
        source="report_accepted",
        id_key="report_id",
        event=Event.REPORT_ACCEPTED,
        when_key="accepted_at",
        memo="随手拍被采纳",
    )


def on_need_rated(payload: dict) -> None:
    _award(
        payload,
        user_key="worker_id",
        source="need_rated",
        id_key="need_id",
        event=Event.NEED_RATED,
        when_key="rated_at",
        memo="评价诉求办理",
    )


def on_hours_confirmed(payload: dict) -> None:
    per_hour = payload.get("points_per_hour")
    _award(
        payload,
        user_key="worker_id",
        source="volunteer_hours",
        id_key="attendance_id",
        event=Event.VOLUNTEER_HOUR,
        when_key="ended_at",
        memo=f"志愿服务 · {payload.get('title', '')}".strip(" ·"),
        quantity=int(payload.get("minutes") or 0) / 60,
        # 0 is the organiser's choice of no points, not "use the rule's points".
        points_per_unit=int(per_hour) if per_hour is not None else None,
    )


SUBSCRIPTIONS = {
    "stations.visit_recorded": on_station_visit,
    "reports.report_accepted": on_report_accepted,
    "needs.need_rated": on_need_rated,
    "volunteering.hours_confirmed": on_hours_confirmed,
}
