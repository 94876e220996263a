"""Reaching the worker: the staff handling a need reveal the worker's full phone number, which
every other page and response shows masked, so that they can call back (an urgent injury)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dandelion.core.audit import SensitiveRead, audit_reads
from dandelion.core.permissions import require

from ..models import Need, NeedEvent
from ..workflow import CONTACT, DEPARTMENT_HANDLER, DISPATCHER, REGION_ADMIN
from .common import fallback_role, staff_role

CONTACT_PERMISSION = "need.contact_worker"


@transaction.atomic
def need_contact_reveal(*, need: Need, actor, now: datetime | None = None) -> str:
    """The worker's full phone number, for a caller holding `need.contact_worker` on the need
    (its department's handlers, its region's dispatchers and admins; 403 for anyone else).

    Each reveal is written twice, in the same transaction: in the audit log as a read of the
    worker's phone, and in the need's timeline as a `contact` event that moves nothing, where
    the worker sees which office looked (never the staff member's name)."""
    now = now or timezone.now()
    require(actor, CONTACT_PERMISSION, need)
    # The row locked so that the event records the state it found, not a state a concurrent
    # move has just left.
    current = (
        Need.objects.select_for_update(of=("self",))
        .select_related("worker", "region", "department")
        .get(pk=need.pk)
    )
    found = staff_role(
        actor,
        CONTACT_PERMISSION,
        region_code=current.region.code,
        department=current.department if current.department_id else None,
    )
    role, office, office_name = found or (
        fallback_role(actor, {REGION_ADMIN, DISPATCHER, DEPARTMENT_HANDLER}, own=False),
        None,
        "",
    )
    NeedEvent.objects.create(
        need=current,
        action=CONTACT,
        from_state=current.state,
        to_state=current.state,
        actor=actor,
        actor_role=role,
        office=office,
        office_name=office_name,
        created_at=now,
    )
    audit_reads(
        actor=actor,
        field="phone",
        reads=[
            SensitiveRead(
                target=current,
                subject=current.worker,
                region_code=current.region.code,
                detail={"need_id": current.pk},
            )
        ],
    )
    return current.worker.phone or ""
