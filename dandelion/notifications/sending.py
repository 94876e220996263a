"""Sending one delivery on its outside channel: what the `delivery_send` task runs after the
inbox row is committed. Kept apart from `services` (which queues the task) so the task and the
services each import it, and nothing imports in a circle."""

from django.db import transaction
from django.utils import timezone, translation

from . import kinds
from .channels import ChannelError, channel_get
from .models import Delivery

MAX_ATTEMPTS = 5


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
