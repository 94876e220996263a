"""Writing to inboxes and queuing the other channels."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.tasks import enqueue_on_commit

from . import kinds, live, tasks
from .channels import enabled_channels
from .errors import NotificationsError
from .kinds import register_kind  # noqa: F401  (how other apps declare their kinds)
from .models import Delivery, KindPreference, Notification
from .selectors import notification_payload, workers_matching
from .sending import MAX_ATTEMPTS, delivery_send

__all__ = [
    "MAX_ATTEMPTS",
    "deliveries_retry",
    "delivery_send",
    "kind_preference_set",
    "live_queues_changed",
    "notification_mark_read",
    "notification_send",
    "notifications_export",
    "notifications_mark_all_read",
    "person_anonymise",
    "preferences_export",
    "recommendation_send",
]

RETRY_UNSENT_AFTER = timedelta(minutes=5)


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    params: dict | None = None,
    url: str = "",
    once: bool = False,
) -> list[Notification]:
    """Put a notification in each recipient's inbox, inside the caller's transaction, and queue
    it on every enabled outside channel the kind allows; those are sent after commit by a task,
    so a slow gateway never holds the request and a rollback sends nothing.

    An optional kind (a recommendation) skips those who switched it off. With `once`, someone
    who already has this kind with this `url` is skipped, so an event handler run twice tells
    nobody twice."""
    people = {getattr(r, "pk", r): r for r in recipients if r is not None}
    kind_def = kinds.kind_get(kind)
    if people and kind_def is not None and kind_def.optional:
        for pk in KindPreference.objects.filter(
            kind=kind, enabled=False, user_id__in=list(people)
        ).values_list("user_id", flat=True):
            people.pop(pk, None)
    if people and once:
        for pk in Notification.objects.filter(
            kind=kind, url=url, recipient_id__in=list(people)
        ).values_list("recipient_id", flat=True):
            people.pop(pk, None)
    if not people:
        return []
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, params=params or {}, url=url) for pk in people]
    )
    # Open pages of these people show it at once (their live streams look again on commit).
    woken = list(people)
    transaction.on_commit(lambda: live.users_wake(woken))
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
        transaction.on_commit(lambda: live.users_wake([user.pk]))
    return notification


def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        # The person's other open pages put their badges to zero.
        transaction.on_commit(lambda: live.users_wake([user.pk]))
    return marked


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


def preferences_export(user) -> dict[str, bool]:
    return {p.kind: p.enabled for p in KindPreference.objects.filter(user=user).order_by("kind")}


def person_anonymise(user, actor, now: datetime) -> None:
    Notification.objects.filter(recipient=user).delete()
    KindPreference.objects.filter(user=user).delete()


def live_queues_changed() -> None:
    """Tell open console pages, when the transaction commits, that a staff queue may have
    changed: each recounts its own user's badges (for a change that notifies nobody)."""
    transaction.on_commit(live.console_wake)


@transaction.atomic
def kind_preference_set(*, user, kind: str, enabled: bool) -> KindPreference:
    """Switch an optional kind (a recommendation) on or off for oneself; other kinds (one's
    own needs, reports, sign-ups) cannot be switched off."""
    kind_def = kinds.kind_get(kind)
    if kind_def is None or not kind_def.optional:
        raise InvalidInput(
            _("这类通知不能关闭。"),
            code=NotificationsError.NOT_OPTIONAL,
            errors=[field_error("kind", NotificationsError.NOT_OPTIONAL, _("这类通知不能关闭"))],
        )
    preference, _created = KindPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"enabled": bool(enabled)}
    )
    return preference


@transaction.atomic
def recommendation_send(
    *,
    kind: str,
    region_code: str,
    skills: Iterable[str] = (),
    exclude_ids: Iterable[int] = (),
    params: dict | None = None,
    url: str,
) -> list[Notification]:
    """Tell the workers a task or wish suits (为我推荐): registered volunteers working in the
    same district, with one of the wanted skills when any is named; each at most once per
    `url`, and not those who switched the kind off. For event handlers of the publishing apps."""
    excluded = set(exclude_ids)
    recipients = [
        pk for pk in workers_matching(region_code=region_code, skills=skills) if pk not in excluded
    ]
    return notification_send(recipients=recipients, kind=kind, params=params, url=url, once=True)
