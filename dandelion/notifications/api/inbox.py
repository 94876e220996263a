"""The inbox: list, unread count, mark one or all read."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .schemas import (
    LiveSnapshotOut,
    MarkedOut,
    NotificationFilters,
    NotificationOut,
    UnreadCountOut,
)

router = Router(tags=["notifications"])


@router.get(
    "/notifications",
    response=list[NotificationOut],
    operation_id="notifications_list",
    summary="The caller's inbox, newest first",
)
@paginate(Paged)
def notifications_list(request: HttpRequest, filters: Query[NotificationFilters]):
    qs = selectors.notification_list(user=request.user, unread=filters.unread)
    return SerialisedPage(qs, selectors.notification_payload)


@router.get(
    "/notifications/unread-count",
    response=UnreadCountOut,
    operation_id="notifications_unread_count",
    summary="How many notifications the caller has not read (the badge)",
)
def notifications_unread_count(request: HttpRequest):
    return {"unread": selectors.unread_count(user=request.user)}


@router.get(
    "/notifications/live",
    response=LiveSnapshotOut,
    operation_id="notifications_live_snapshot",
    summary="The badges a page shows: unread notifications and, for staff, the console queues",
    description=(
        "What the live stream (`/notifications/stream/`, Server-Sent Events) pushes, for a page "
        "that cannot hold the stream open and polls instead."
    ),
)
def notifications_live_snapshot(request: HttpRequest):
    return selectors.live_snapshot(user=request.user)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **problems(404)},
    operation_id="notifications_mark_read",
    summary="Mark one notification read",
)
def notifications_mark_read(request: HttpRequest, notification_id: int):
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    return selectors.notification_payload(notification)


@router.post(
    "/notifications/read-all",
    response=MarkedOut,
    operation_id="notifications_mark_all_read",
    summary="Mark every notification read",
)
def notifications_mark_all_read(request: HttpRequest):
    return {"marked": services.notifications_mark_all_read(user=request.user)}
