"""Writing to inboxes and sending on other channels."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from dandelion.core.errors import NotFound
from dandelion.core.tasks import enqueue_on_commit

from . import kinds
from .channels import ChannelError, channel_get, enabled_channels
from .models import Delivery, Notification

MAX_ATTEMPTS = 5
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
        from .tasks import delivery_send

        for delivery in deliveries:
            enqueue_on_commit(delivery_send, delivery_id=delivery.pk)
    return created


def notification_mark_read(*, user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound("No such notification.", code="notification_not_found")
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


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery. Holds its row lock while sending, so two workers running the same
    task send once; a sent delivery is never sent again. A failure is recorded and re-raised
    (so the task shows failed) until `MAX_ATTEMPTS`."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (Delivery.Status.SENT, Delivery.Status.SKIPPED):
            return "nothing to do"
        notification = delivery.notification
        if not notification.recipient.is_active:
            delivery.status = Delivery.Status.SKIPPED
            delivery.save(update_fields=["status"])
            return "skipped"
        with translation.override(None):
            title, body = kinds.render(notification.kind, notification.params)
        delivery.attempts += 1
        try:
            channel_get(delivery.channel).send(notification, title, body)
        except ChannelError as exc:
            delivery.last_error = str(exc)[:300]
            delivery.status = (
                Delivery.Status.FAILED
                if delivery.attempts >= MAX_ATTEMPTS
                else Delivery.Status.PENDING
            )
            delivery.save(update_fields=["attempts", "last_error", "status"])
            return "failed"
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "status", "sent_at"])
        return "sent"


def deliveries_retry() -> int:
    """Queue again (a periodic job) every pending delivery that failed on a flaky gateway, or
    whose task never ran (queued longer than `RETRY_UNSENT_AFTER` ago), until `MAX_ATTEMPTS`."""
    from .tasks import delivery_send as task

    stale = timezone.now() - RETRY_UNSENT_AFTER
    pending = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(attempts__gt=0) | Q(notification__created_at__lt=stale))
        .values_list("pk", flat=True)[:500]
    )
    for pk in pending:
        task.enqueue(delivery_id=pk)
    return len(pending)


def notifications_export(user) -> list[dict]:
    from .selectors import notification_payload

    return [notification_payload(n) for n in Notification.objects.filter(recipient=user)]


def person_anonymise(user, actor, now: datetime) -> None:
    Notification.objects.filter(recipient=user).delete()
