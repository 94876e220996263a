"""The audit log for auditors: who read which sensitive field of whom, and role and membership
changes, within the caller's region."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.models import AuditEvent
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors
from .schemas import AuditEventFilters, AuditEventOut

router = Router(tags=["audit"])


def _person(user) -> dict | None:
    return {"id": user.pk, "display_name": str(user)} if user is not None else None


def audit_event_payload(event: AuditEvent) -> dict:
    # Who a party-membership event was about is itself party membership: the log shows that
    # and when such records were read, not whose.
    hide_subject = event.category == AuditEvent.Category.PARTY
    return {
        "id": event.pk,
        "created_at": event.created_at,
        "actor": _person(event.actor),
        "action": event.action,
        "subject": None if hide_subject else _person(event.subject),
        "target_type": event.target_type,
        "target_id": "" if hide_subject else event.target_id,
        "field": event.field,
        "category": event.category,
        "region_code": event.region_code,
    }


@router.get(
    "/audit-events",
    response=list[AuditEventOut],
    operation_id="audit_events_list",
    summary="The audit log within the caller's scope (auditors)",
)
@paginate(Paged)
def audit_events_list(request: HttpRequest, filters: Query[AuditEventFilters]):
    qs = selectors.audit_events_for(
        actor=request.user, subject_id=filters.subject_id, action=filters.action
    )
    return SerialisedPage(qs, audit_event_payload)
