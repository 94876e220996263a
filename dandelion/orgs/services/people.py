"""What deleting an account does to organisations: open memberships end (the team's history
keeps the row, without the person) and party declarations are erased (sensitive, and nobody
else relies on them once the person is gone)."""

from datetime import datetime

from dandelion.core.audit import audit_record

from ..models import Membership, PartyMembership
from .memberships import membership_leave
from .party import party_membership_announce


def person_anonymise(user, actor, now: datetime) -> None:
    for membership in Membership.objects.filter(
        user=user, status__in=Membership.OPEN_STATUSES
    ).select_related("organisation__region", "user"):
        membership_leave(membership=membership, actor=actor, now=now)
    for party_membership in PartyMembership.objects.filter(user=user).select_related(
        "branch__region"
    ):
        audit_record(
            actor=actor,
            action="party_membership.erase",
            subject=user,
            target=party_membership,
            region_code=party_membership.branch.region.code,
            category="party",
        )
        # Announced before the delete, while the row still has its id.
        party_membership_announce(party_membership, at=now, state="erased")
        party_membership.delete()
