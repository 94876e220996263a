"""Joining organisations by code, leaders' decisions, leaving. Every change is audited.

Allowed transitions (anything else is a 409 naming the current status):
pending → active | declined | left; active → left.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput
from dandelion.core.permissions import grants_forget

from ..models import Membership, Organisation

S = Membership.Status
STAFF_ROLES = {Membership.Role.LEADER, Membership.Role.SECRETARY, Membership.Role.HANDLER}
TRANSITIONS = {
    (S.PENDING, S.ACTIVE),
    (S.PENDING, S.DECLINED),
    (S.PENDING, S.LEFT),
    (S.ACTIVE, S.LEFT),
}


def _audit(action: str, membership: Membership, actor, **detail) -> None:
    organisation = membership.organisation
    audit_record(
        actor=actor,
        action=action,
        subject=membership.user,
        target=membership,
        region_code=organisation.region.code,
        category="party" if organisation.is_party else "",
        detail={"organisation": organisation.pk, "role": membership.role, **detail},
    )


def _move(membership: Membership, to: str, *, actor, now: datetime) -> Membership:
    if (membership.status, to) not in TRANSITIONS:
        raise Conflict(
            f"The membership is {membership.status}; it cannot become {to}.",
            code="illegal_transition",
            extra={"current_status": membership.status},
        )
    previous = membership.status
    membership.status = to
    membership.decided_at = now
    membership.decided_by = actor if actor is not None and actor.is_authenticated else None
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    _audit(f"membership.{to}", membership, actor, previous=previous)
    grants_forget(membership.user)
    return membership


def _locked(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    locked.organisation = membership.organisation
    locked.user = membership.user
    return locked


@transaction.atomic
def membership_request(
    *, organisation: Organisation, user, now: datetime | None = None
) -> tuple[Membership, bool]:
    """A pending membership for `user` (who scanned the join code). Scanning again returns the
    pending request unchanged; an active member gets 409."""
    now = now or timezone.now()
    existing = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, user=user, status__in=Membership.OPEN_STATUSES)
        .first()
    )
    if existing is not None:
        if existing.status == S.ACTIVE:
            raise Conflict("You are already a member.", code="already_member")
        return existing, False
    membership = Membership.objects.create(
        organisation=organisation, user=user, status=S.PENDING, requested_at=now
    )
    _audit("membership.request", membership, user)
    return membership, True


@transaction.atomic
def membership_approve(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    return _move(_locked(membership), S.ACTIVE, actor=actor, now=now or timezone.now())


@transaction.atomic
def membership_decline(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    return _move(_locked(membership), S.DECLINED, actor=actor, now=now or timezone.now())


@transaction.atomic
def membership_leave(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    return _move(_locked(membership), S.LEFT, actor=actor, now=now or timezone.now())


@transaction.atomic
def membership_add(
    *,
    organisation: Organisation,
    user,
    role: str = Membership.Role.MEMBER,
    actor=None,
    now: datetime | None = None,
) -> Membership:
    """An active membership set up by staff (leaders, secretaries, handlers), or a role change
    of an existing open membership. Leaders, secretaries and handlers become staff: their role
    in the organisation is a staff role over it (see orgs.permissions)."""
    if role not in Membership.Role.values:
        raise InvalidInput(
            f"Unknown role {role!r}.",
            code="invalid_role",
            errors=[{"field": "role", "msg": "unknown role"}],
        )
    now = now or timezone.now()
    membership = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, user=user, status__in=Membership.OPEN_STATUSES)
        .first()
    )
    if membership is None:
        membership = Membership.objects.create(
            organisation=organisation,
            user=user,
            role=role,
            status=S.ACTIVE,
            requested_at=now,
            decided_at=now,
            decided_by=actor if actor is not None and actor.is_authenticated else None,
        )
        _audit("membership.add", membership, actor)
    else:
        previous = membership.role
        membership.role = role
        membership.status = S.ACTIVE
        membership.decided_at = now
        membership.save(update_fields=["role", "status", "decided_at"])
        _audit("membership.role", membership, actor, previous_role=previous)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    grants_forget(user)
    return membership
