"""Writing to inboxes and queuing the other channels."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, NotFound
from dandelion.core.tasks import enqueue_on_commit

from . import kinds, tasks
from .channels import enabled_channels
from .kinds import register_kind  # noqa: F401  (how other apps declare their kinds)
from .models import Delivery, Notification
from .selectors import notification_payload
from .sending import MAX_ATTEMPTS, delivery_send

__all__ = [
    "MAX_ATTEMPTS",
    "deliveries_retry",
    "delivery_send",
    "notification_mark_read",
    "notification_send",
    "notifications_export",
    "notifications_mark_all_read",
    "person_anonymise",
]

RETRY_UNSENT_AFTER = timedelta(minutes=5)


@transaction.atomic
def notification_send(
    *, recipients: Iterable, kind: str, params: dict | None = None, url: str = ""
) -> list[Notification]:
    """Put a notification in each recipient's inbox, inside the caller's transaction, and queue
    it on every enabled outside channel the kind allows; those are sent after commit by a task,
    so a slow gateway never holds the request and a rollback sends nothing."""
    people = {getattr(r, "pk", r): r for r in recipients if r is not None}
    if not people:
        return []
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, params=params or {}, url=url) for pk in people]
    )
    kind_def = kinds.kind_get(kind)
    allowed = kind_def.channels if kind_def else ()
    channels = [c for c in enabled_channels() if c in allowed]
    if channels:
        # Both databases return the new ids from bulk_create (SQLite ≥ 3.35, PostgreSQL).
        deliveries = Delivery.objects.bulk_create(
            [Delivery(notification=n, channel=c) for n in created for c in channels]
        )
        for delivery in deliveries:
            enqueue_on_commit(tasks.delivery_send, delivery_id=delivery.pk)
    return created


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's reads as no such one."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound(
            _("没有这条通知。"), code=CoreError.NOT_FOUND, extra={"entity": "notification"}
        )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def deliveries_retry() -> int:
    """Queue again (a periodic job) every pending delivery that failed on a flaky gateway, or
    whose task never ran (queued longer than `RETRY_UNSENT_AFTER` ago), until `MAX_ATTEMPTS`."""
    stale = timezone.now() - RETRY_UNSENT_AFTER
    pending = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(attempts__gt=0) | Q(notification__created_at__lt=stale))
        .values_list("pk", flat=True)[:500]
    )
    for pk in pending:
        tasks.delivery_send.enqueue(delivery_id=pk)
    return len(pending)


def notifications_export(user) -> list[dict]:
    return [notification_payload(n) for n in Notification.objects.filter(recipient=user)]


def person_anonymise(user, actor, now: datetime) -> None:
    Notification.objects.filter(recipient=user).delete()
