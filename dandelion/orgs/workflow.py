"""The transition tables of memberships and party return-to-team declarations.

Actor roles: `member` is the person the row is about; `organiser` a leader, secretary or staff
member deciding on requests; `party_officer` a branch secretary or party-work officer; `system`
setting up (the demo, fixtures, staff adding members directly) or deleting an account.

Who may decide on a membership depends on the organisation: members of a party organisation are
party membership, decided by party-work roles (`party_membership.confirm`), others by
`membership.approve`. The table leaves that permission to the service's guard.
"""

from dandelion.core.workflow import SYSTEM, Transition, Workflow

from .models import Membership, PartyMembership

MEMBER = "member"
ORGANISER = "organiser"
PARTY_OFFICER = "party_officer"
ACTOR_ROLES = (MEMBER, ORGANISER, PARTY_OFFICER, SYSTEM)

S = Membership.Status
MEMBERSHIP = Workflow(
    entity="membership",
    state_field="status",
    transitions=[
        Transition("approve", [S.PENDING], S.ACTIVE, actors={ORGANISER, SYSTEM}),
        Transition("decline", [S.PENDING], S.DECLINED, actors={ORGANISER}),
        Transition(
            "leave",
            [S.PENDING, S.ACTIVE],
            S.LEFT,
            actors={MEMBER, SYSTEM},
            permission="membership.leave",
        ),
    ],
)

P = PartyMembership.State
PARTY_MEMBERSHIP = Workflow(
    entity="party_membership",
    state_field="state",
    transitions=[
        Transition(
            "confirm",
            [P.PENDING],
            P.CONFIRMED,
            actors={PARTY_OFFICER},
            permission="party_membership.confirm",
        ),
        Transition(
            "decline",
            [P.PENDING],
            P.DECLINED,
            actors={PARTY_OFFICER},
            permission="party_membership.confirm",
        ),
    ],
)
