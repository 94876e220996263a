"""Deadlines: a need not accepted or not resolved in time is flagged overdue and reported to
the region's admins, once per need, stage and round, however often the job runs."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dandelion.notifications.services import notification_send

from .. import recipients
from ..models import Need, NeedEscalation
from ..selectors import overdue_unescalated

BATCH = 500


def needs_escalate_overdue(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Escalate what is overdue and not yet escalated; returns how many were escalated. Each need
    is handled in its own transaction under its row lock, and the unique escalation row makes a
    second run (or a second machine) a no-op."""
    now = now or timezone.now()
    done = 0
    for need_id in list(overdue_unescalated(now=now).values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            need = (
                Need.objects.select_for_update(of=("self",))
                .select_related("item", "region", "department")
                .filter(pk=need_id)
                .first()
            )
            stage = need.overdue_stage(now) if need else None
            if stage is None:
                continue
            try:
                with transaction.atomic():
                    NeedEscalation.objects.create(
                        need=need, stage=stage, round=need.round, created_at=now
                    )
            except IntegrityError:
                continue
            notification_send(
                recipients=recipients.region_staff(
                    region_code=need.region.code, role="region_admin"
                ),
                kind="needs.overdue_accept" if stage == "accept" else "needs.overdue_resolve",
                params={
                    "need_id": need.pk,
                    "item": need.item.name if need.item_id else "",
                    "item_en": need.item.name_en if need.item_id else "",
                    "department": need.department.name if need.department_id else "",
                },
                url=reverse("needs_console:detail", args=[need.pk]),
            )
            done += 1
    return done
