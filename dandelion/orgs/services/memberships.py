"""Joining organisations by code, leaders' decisions, leaving. Every change is audited and
every move is one of `workflow.MEMBERSHIP`'s, written to the membership's event rows."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput, field_error
from dandelion.core.permissions import grants_forget, require
from dandelion.core.workflow import SYSTEM, transition

from ..errors import OrgsError
from ..models import Membership, MembershipEvent, Organisation
from ..workflow import MEMBER, MEMBERSHIP, ORGANISER

S = Membership.Status
STAFF_ROLES = {Membership.Role.LEADER, Membership.Role.SECRETARY, Membership.Role.HANDLER}


def _person(actor):
    return actor if actor is not None and actor.is_authenticated else None


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


def _record_created(membership: Membership, action: str, *, actor, actor_role: str, at) -> None:
    """The first event row of a membership: it had no state before."""
    MembershipEvent.objects.create(
        membership=membership,
        action=action,
        from_state="",
        to_state=membership.status,
        actor=_person(actor),
        actor_role=actor_role,
        created_at=at,
    )


def _decider_may_decide(actor, locked: Membership, move) -> None:
    """Who decides on a party organisation's members holds the party-work role there; on any
    other organisation's, `membership.approve`."""
    organisation = locked.organisation
    action = "party_membership.confirm" if organisation.is_party else "membership.approve"
    require(actor, action, locked)


def _move(
    membership: Membership, action: str, *, actor, actor_role: str, now: datetime
) -> Membership:
    guard = None
    if actor_role == ORGANISER:

        def guard(locked, move):
            _decider_may_decide(actor, locked, move)

    def decided(locked, move):
        locked.decided_at = now
        locked.decided_by = _person(actor)
        return ["decided_at", "decided_by"]

    moved = transition(
        MEMBERSHIP,
        membership,
        action,
        actor=actor,
        actor_role=actor_role,
        event_model=MembershipEvent,
        event_fk="membership",
        at=now,
        guard=guard,
        changes=decided,
        queryset=Membership.objects.select_related("organisation__region", "user"),
    )
    locked = moved.obj
    _audit(f"membership.{locked.status}", locked, actor, previous=moved.source)
    grants_forget(locked.user)
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
            raise Conflict(_("你已经是该组织的成员。"), code=OrgsError.ALREADY_MEMBER)
        return existing, False
    membership = Membership.objects.create(
        organisation=organisation, user=user, status=S.PENDING, requested_at=now
    )
    _record_created(membership, "request", actor=user, actor_role=MEMBER, at=now)
    _audit("membership.request", membership, user)
    return membership, True


@transaction.atomic
def membership_approve(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    """A leader (or whoever holds the deciding role over it) approves a request to join."""
    return _move(
        membership, "approve", actor=actor, actor_role=ORGANISER, now=now or timezone.now()
    )


@transaction.atomic
def membership_decline(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    return _move(
        membership, "decline", actor=actor, actor_role=ORGANISER, now=now or timezone.now()
    )


@transaction.atomic
def membership_leave(*, membership: Membership, actor, now: datetime | None = None) -> Membership:
    """The member leaves (or withdraws a request). Anyone else ending it is the system: an
    account being deleted."""
    role = MEMBER if actor is not None and actor.pk == membership.user_id else SYSTEM
    return _move(membership, "leave", actor=actor, actor_role=role, now=now or timezone.now())


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
    of an existing open membership (a pending one is approved on the way). `actor` needs
    `membership.approve` over the organisation; `None` is the system (setup, the demo).

    Leaders, secretaries and handlers hold their organisation's staff role through the
    membership (see orgs.permissions); `is_staff` is set as well, which only opens the Django
    admin's door."""
    if role not in Membership.Role.values:
        message = _("没有这个角色：%(role)s。") % {"role": role}
        raise InvalidInput(
            message,
            code=OrgsError.INVALID_CHOICE,
            errors=[field_error("role", OrgsError.INVALID_CHOICE, message)],
        )
    if actor is not None:
        require(actor, "membership.approve", organisation)
    actor_role = ORGANISER if actor is not None else SYSTEM
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
            decided_by=_person(actor),
        )
        _record_created(membership, "add", actor=actor, actor_role=actor_role, at=now)
        _audit("membership.add", membership, actor)
    else:
        previous = membership.role
        if membership.status == S.PENDING:
            membership = transition(
                MEMBERSHIP,
                membership,
                "approve",
                actor=actor,
                actor_role=actor_role,
                event_model=MembershipEvent,
                event_fk="membership",
                at=now,
            ).obj
        membership.role = role
        membership.decided_at = now
        membership.save(update_fields=["role", "decided_at"])
        _audit("membership.role", membership, actor, previous_role=previous)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    grants_forget(user)
    return membership
