"""Party members return to the team (党员归队): a worker declares by scanning a branch's code; the
branch secretary confirms or declines. Party membership is sensitive personal information: every
change is audited in the `party` category.

Allowed transitions: pending → confirmed | declined.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput

from ..models import Organisation, PartyMembership

St = PartyMembership.State
TRANSITIONS = {(St.PENDING, St.CONFIRMED), (St.PENDING, St.DECLINED)}


def _audit(action: str, party_membership: PartyMembership, actor) -> None:
    audit_record(
        actor=actor,
        action=action,
        subject=party_membership.user,
        target=party_membership,
        region_code=party_membership.branch.region.code,
        category="party",
        detail={"branch": party_membership.branch_id, "state": party_membership.state},
    )


@transaction.atomic
def party_membership_declare(
    *,
    user,
    branch: Organisation,
    status: str,
    home_branch: str = "",
    is_mobile: bool = False,
    now: datetime | None = None,
) -> PartyMembership:
    if branch.kind != Organisation.Kind.PARTY_BRANCH:
        raise InvalidInput(
            "Return to the team at a party branch.",
            code="not_party_branch",
            errors=[{"field": "code", "msg": "not a party branch's code"}],
        )
    if status not in PartyMembership.Status.values:
        raise InvalidInput(
            f"Unknown status {status!r}.",
            code="invalid_status",
            errors=[{"field": "status", "msg": "unknown status"}],
        )
    open_declaration = (
        PartyMembership.objects.select_for_update()
        .filter(user=user, state__in=[St.PENDING, St.CONFIRMED])
        .first()
    )
    if open_declaration is not None:
        raise Conflict(
            f"You have already returned to a team ({open_declaration.state}).",
            code="already_declared",
            extra={"current_state": open_declaration.state},
        )
    party_membership = PartyMembership.objects.create(
        user=user,
        branch=branch,
        status=status,
        home_branch=home_branch.strip(),
        is_mobile=is_mobile,
        declared_at=now or timezone.now(),
    )
    _audit("party_membership.declare", party_membership, user)
    return party_membership


def _decide(party_membership: PartyMembership, to: str, *, actor, now) -> PartyMembership:
    locked = PartyMembership.objects.select_for_update().get(pk=party_membership.pk)
    if (locked.state, to) not in TRANSITIONS:
        raise Conflict(
            f"The declaration is {locked.state}; it cannot become {to}.",
            code="illegal_transition",
            extra={"current_state": locked.state},
        )
    party_membership.state = to
    party_membership.decided_at = now or timezone.now()
    party_membership.decided_by = actor
    party_membership.save(update_fields=["state", "decided_at", "decided_by"])
    _audit(f"party_membership.{to}", party_membership, actor)
    return party_membership


@transaction.atomic
def party_membership_confirm(
    *, party_membership: PartyMembership, actor, now: datetime | None = None
) -> PartyMembership:
    return _decide(party_membership, St.CONFIRMED, actor=actor, now=now)


@transaction.atomic
def party_membership_decline(
    *, party_membership: PartyMembership, actor, now: datetime | None = None
) -> PartyMembership:
    return _decide(party_membership, St.DECLINED, actor=actor, now=now)
