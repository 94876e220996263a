"""The audit log: who read which sensitive field of whom, and every role or membership change.

Writers call `audit_record` (one event) or `audit_reads` (one event per row shown) inside the same
transaction as the change they describe, so the log and the data never disagree.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .models import AuditEvent


def _actor(user) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    actor,
    action: str,
    subject=None,
    target: models.Model | None = None,
    field: str = "",
    region_code: str = "",
    category: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `subject` is the person whose data it concerns; `target` the row."""
    target_type, target_id = _target(target)
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action=action,
        subject=subject,
        target_type=target_type,
        target_id=target_id,
        field=field,
        category=category,
        region_code=region_code or "",
        detail=detail or {},
    )


@dataclass(frozen=True)
class SensitiveRead:
    """One sensitive row shown to someone: the row, whose it is, and where it belongs."""

    target: models.Model
    subject: Any
    region_code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def audit_reads(
    *, actor, field: str, reads: Iterable[SensitiveRead], category: str = ""
) -> list[AuditEvent]:
    """One `read` event per row in a single insert. Reads of one's own data are not logged."""
    actor = _actor(actor)
    events = []
    for read in reads:
        if actor is not None and read.subject is not None and read.subject.pk == actor.pk:
            continue
        target_type, target_id = _target(read.target)
        events.append(
            AuditEvent(
                actor=actor,
                action="read",
                subject=read.subject,
                target_type=target_type,
                target_id=target_id,
                field=field,
                category=category,
                region_code=read.region_code or "",
                detail=read.detail,
            )
        )
    return AuditEvent.objects.bulk_create(events)


def audit_event_list(
    *,
    actor,
    subject_id: int | None = None,
    action: str | None = None,
) -> models.QuerySet[AuditEvent]:
    """Events the caller may read (`audit.view` in their scope), newest first."""
    from .permissions import scope_queryset

    qs = AuditEvent.objects.select_related("actor", "subject")
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
        if not getattr(actor, "is_superuser", False):
            # Whose party membership was read is not for the general log to answer.
            qs = qs.exclude(category=AuditEvent.Category.PARTY)
    if action:
        qs = qs.filter(action=action)
    return scope_queryset(actor, "audit.view", qs).order_by("-created_at", "-id")
