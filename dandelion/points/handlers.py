"""Awards for what other apps announce (`core.events`). Each handler works from the typed event
alone and is idempotent: the award's key is derived from the source (`report_accepted:123`), so
a redelivered event awards nothing twice. Caps count on the event's own time (`occurred_at`),
so an event delivered after midnight still counts on the day it happened."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import translation

from dandelion.needs.events import NeedRated
from dandelion.notifications.services import notification_send
from dandelion.reports.events import ReportAccepted
from dandelion.stations.events import VisitRecorded
from dandelion.volunteering.events import HoursConfirmed

from .memos import memo_label
from .models import EarningRule
from .services import award_from_event

logger = logging.getLogger(__name__)
Event = EarningRule.Event


def _user(user_id):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("points: no active user %s for an award", user_id)
    return user


def _notify(result, user) -> None:
    if result is None or not result.created:
        return
    memo = result.transfer.memo
    with translation.override("en"):
        memo_en = memo_label(memo)
    notification_send(
        recipients=[user],
        kind="points.awarded",
        params={"points": result.points, "memo": memo, "memo_en": memo_en},
        url="/points/",
    )


def _award(
    *,
    user_id: int,
    source_key: str,
    event: str,
    region_code: str,
    occurred_at: datetime,
    memo: str,
    **extra,
) -> None:
    """Awards `event` to the user under `source_key` (so a redelivery awards nothing twice),
    counted on the day of `occurred_at`, and tells them; does nothing without an active user."""
    user = _user(user_id)
    if user is None:
        return
    result = award_from_event(
        user=user,
        event=event,
        region_code=region_code,
        source_key=source_key,
        occurred_at=occurred_at,
        memo=memo,
        **extra,
    )
    _notify(result, user)


def on_station_visit(visit: VisitRecorded) -> None:
    """A visit flagged for review (implausible travel) earns nothing now: a reviewer who accepts
    it announces it again, unflagged, and it earns then. An unverified visit earns nothing
    under a rule that requires verified visits."""
    if visit.flagged:
        return
    _award(
        user_id=visit.user_id,
        source_key=f"station_visit:{visit.visit_id}",
        event=Event.STATION_VISIT,
        region_code=visit.region_code,
        occurred_at=visit.occurred_at,
        memo=f"驿站打卡 · {visit.station_name}".strip(" ·"),
        verified=visit.verified,
    )


def on_report_accepted(accepted: ReportAccepted) -> None:
    _award(
        user_id=accepted.reporter_id,
        source_key=f"report_accepted:{accepted.report_id}",
        event=Event.REPORT_ACCEPTED,
        region_code=accepted.region_code,
        occurred_at=accepted.occurred_at,
        memo="随手拍被采纳",
    )


def on_need_rated(rated: NeedRated) -> None:
    _award(
        user_id=rated.worker_id,
        source_key=f"need_rated:{rated.need_id}",
        event=Event.NEED_RATED,
        region_code=rated.region_code,
        occurred_at=rated.occurred_at,
        memo="评价诉求办理",
    )


def on_hours_confirmed(confirmed: HoursConfirmed) -> None:
    per_hour = confirmed.points_per_hour
    _award(
        user_id=confirmed.worker_id,
        source_key=f"volunteer_hours:{confirmed.attendance_id}",
        event=Event.VOLUNTEER_HOUR,
        region_code=confirmed.region_code,
        # Hours count on the day they were served, whenever they were confirmed.
        occurred_at=confirmed.ended_at,
        memo=f"志愿服务 · {confirmed.title}".strip(" ·"),
        quantity=confirmed.minutes / 60,
        # 0 is the organiser's choice of no points, not "use the rule's points".
        points_per_unit=per_hour,
    )


SUBSCRIPTIONS = {
    VisitRecorded: on_station_visit,
    ReportAccepted: on_report_accepted,
    NeedRated: on_need_rated,
    HoursConfirmed: on_hours_confirmed,
}
