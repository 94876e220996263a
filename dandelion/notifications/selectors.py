from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from dandelion.core.console import sections_for

from . import kinds
from .models import KindPreference, Notification


def notification_list(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_payload(notification: Notification) -> dict:
    title, body = kinds.render(notification.kind, notification.params)
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": title,
        "body": body,
        "url": notification.url,
        "params": notification.params,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "is_read": notification.read_at is not None,
    }


def console_counters(*, user) -> dict[str, int]:
    """The console sections' badges this person sees: section key → count (empty for workers)."""
    return {s.key: int(s.badge(user) or 0) for s in sections_for(user) if s.badge}


def live_snapshot(*, user) -> dict:
    """What the live stream pushes, at once: the inbox badge and the console badges."""
    return {"unread": unread_count(user=user), "counters": console_counters(user=user)}


def workers_matching(*, region_code: str, skills: Iterable[str] = ()) -> list[int]:
    """Ids of registered volunteers (报到, willing to volunteer, consent current) working in the
    district of `region_code` (its first six digits), with one of `skills` when any is named."""
    wanted = {s for s in skills if s}
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True,
            worker_profile__is_volunteer=True,
            worker_profile__consent_withdrawn_at__isnull=True,
            worker_profile__work_region__code__startswith=region_code[:6],
        )
        .values_list("pk", "worker_profile__skills")
    )
    return [pk for pk, theirs in rows if not wanted or wanted & set(theirs or [])]


def kind_preferences(*, user) -> list[dict]:
    """Each optional kind (recommendation) with whether this person receives it."""
    off = set(
        KindPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True)
    )
    return [
        {"kind": k.name, "label": k.label_text, "enabled": k.name not in off}
        for k in kinds.optional_kinds()
    ]


def recommendation_list(*, user) -> QuerySet[Notification]:
    """The person's recommendations (为我推荐): notifications of optional kinds, newest first."""
    names = [k.name for k in kinds.optional_kinds()]
    return notification_list(user=user).filter(kind__in=names)


def newest_notification_id(*, user, at: datetime | None = None) -> int:
    """The id of the person's newest notification (0 for none), or of the newest created by
    `at`: where a page's stream starts."""
    rows = Notification.objects.filter(recipient=user)
    if at is not None:
        rows = rows.filter(created_at__lte=at)
    return rows.order_by("-id").values_list("id", flat=True).first() or 0
