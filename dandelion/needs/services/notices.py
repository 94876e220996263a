"""Who hears about a need's move, and the domain events other apps react to. Notifications
and events go out when the move's transaction commits (`notification_send`, `publish`)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from dandelion.core.events import publish
from dandelion.notifications.services import notification_send

from .. import recipients
from ..events import NeedRated, NeedResolved
from ..models import Need, NeedRating, NeedReview
from .common import console_url, need_url, params

LOW_RATING = 2


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def need_waiting_notify(need: Need) -> None:
    """A need no routing rule took: the region's dispatchers hear of it."""
    notification_send(
        recipients=recipients.region_staff(region_code=need.region.code, role="dispatcher"),
        kind="needs.waiting",
        params=params(need, region=need.region.name, region_en=need.region.name_en),
        url=console_url(need),
    )


def need_moved_notify(
    need: Need, action: str, *, rating: NeedRating | None, office_name: str, note: str, now
) -> None:
    region_code = need.region.code
    if action == "dispatch":
        notification_send(
            recipients=recipients.department_handlers(department=need.department),
            kind="needs.dispatched",
            params=params(need, department=need.department.name, due=_local(need.accept_due_at)),
            url=console_url(need),
        )
    elif action == "decline":
        notification_send(
            recipients=recipients.region_staff(region_code=region_code, role="dispatcher"),
            kind="needs.declined",
            params=params(need, office=office_name, reason=note),
            url=console_url(need),
        )
    elif action == "accept":
        notification_send(
            recipients=[need.worker_id],
            kind="needs.accepted",
            params=params(need, office=need.department.name),
            url=need_url(need),
        )
    elif action == "resolve":
        notification_send(
            recipients=[need.worker_id],
            kind="needs.resolved",
            params=params(need, office=need.department.name),
            url=need_url(need),
        )
        publish(
            NeedResolved(
                need_id=need.pk,
                worker_id=need.worker_id,
                department_id=need.department_id,
                region_code=region_code,
                round=need.round,
                occurred_at=now,
            )
        )
    elif action == "reopen":
        notification_send(
            recipients=recipients.department_handlers(department=need.department),
            kind="needs.reopened",
            params=params(need),
            url=console_url(need),
        )
    elif action == "rate":
        publish(
            NeedRated(
                need_id=need.pk,
                worker_id=need.worker_id,
                stars=rating.stars,
                region_code=region_code,
                occurred_at=now,
            )
        )
        if rating.stars <= LOW_RATING:
            NeedReview.objects.create(need=need, rating=rating, opened_at=now)
            notification_send(
                recipients=recipients.region_staff(region_code=region_code, role="dispatcher"),
                kind="needs.review_opened",
                params=params(need, stars=rating.stars),
                url=reverse("needs_console:reviews"),
            )
