"""Party members return to the team (党员归队): a worker declares by scanning a branch's code; the
branch secretary confirms or declines (`workflow.PARTY_MEMBERSHIP`). Party membership is
sensitive personal information: every change is audited in the `party` category."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput, field_error
from dandelion.core.events import publish
from dandelion.core.workflow import transition

from ..errors import OrgsError
from ..events import PartyMembershipChanged
from ..models import Organisation, PartyMembership, PartyMembershipEvent
from ..workflow import MEMBER, PARTY_MEMBERSHIP, PARTY_OFFICER

St = PartyMembership.State


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
        message = _("请扫描党支部的归队码。")
        raise InvalidInput(
            message,
            code=OrgsError.NOT_PARTY_BRANCH,
            errors=[field_error("code", OrgsError.NOT_PARTY_BRANCH, message)],
        )
    if status not in PartyMembership.Status.values:
        message = _("请选择政治面貌。")
        raise InvalidInput(
            message,
            code=OrgsError.INVALID_CHOICE,
            errors=[field_error("status", OrgsError.INVALID_CHOICE, message)],
        )
    open_declaration = (
        PartyMembership.objects.select_for_update()
        .filter(user=user, state__in=[St.PENDING, St.CONFIRMED])
        .first()
    )
    if open_declaration is not None:
        raise Conflict(
            _("你已经申报过归队了。"),
            code=OrgsError.ALREADY_DECLARED,
            extra={"entity": "party_membership", "state": open_declaration.state},
        )
    now = now or timezone.now()
    party_membership = PartyMembership.objects.create(
        user=user,
        branch=branch,
        status=status,
        home_branch=home_branch.strip(),
        is_mobile=is_mobile,
        declared_at=now,
    )
    PartyMembershipEvent.objects.create(
        party_membership=party_membership,
        action="declare",
        from_state="",
        to_state=party_membership.state,
        actor=user,
        actor_role=MEMBER,
        created_at=now,
    )
    _audit("party_membership.declare", party_membership, user)
    return party_membership


def _decide(party_membership: PartyMembership, action: str, *, actor, now) -> PartyMembership:
    now = now or timezone.now()

    def decided(locked, move):
        locked.decided_at = now
        locked.decided_by = actor
        return ["decided_at", "decided_by"]

    locked = transition(
        PARTY_MEMBERSHIP,
        party_membership,
        action,
        actor=actor,
        actor_role=PARTY_OFFICER,
        event_model=PartyMembershipEvent,
        event_fk="party_membership",
        at=now,
        changes=decided,
        queryset=PartyMembership.objects.select_related("user", "branch__region"),
    ).obj
    # The caller's instance follows the row, as it did before the move went through a lock.
    party_membership.state = locked.state
    party_membership.decided_at, party_membership.decided_by = locked.decided_at, actor
    _audit(f"party_membership.{locked.state}", locked, actor)
    party_membership_announce(locked, at=now)
    return locked


def party_membership_announce(party_membership: PartyMembership, *, at, state: str = "") -> None:
    """Announce, on commit, a decision on a declaration (or its erasure, `state` "erased")."""
    publish(
        PartyMembershipChanged(
            occurred_at=at,
            party_membership_id=party_membership.pk,
            branch_id=party_membership.branch_id,
            region_code=party_membership.branch.region.code,
            state=state or party_membership.state,
        )
    )


@transaction.atomic
def party_membership_confirm(
    *, party_membership: PartyMembership, actor, now: datetime | None = None
) -> PartyMembership:
    return _decide(party_membership, "confirm", actor=actor, now=now)


@transaction.atomic
def party_membership_decline(
    *, party_membership: PartyMembership, actor, now: datetime | None = None
) -> PartyMembership:
    return _decide(party_membership, "decline", actor=actor, now=now)
