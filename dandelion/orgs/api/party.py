"""Party members return to the team (党员归队). Every read of someone else's declaration is
audited; only the branch, its parent organisations' secretaries and party-work officers see it."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import party_membership_payload
from .schemas import (
    PartyMembershipFilters,
    PartyMembershipIn,
    PartyMembershipOut,
    PartyStatsFilters,
    PartyStatsOut,
)

router = Router(tags=["party"])


@router.post(
    "/party/return",
    response={201: PartyMembershipOut, **problems(409)},
    operation_id="party_return",
    summary="Declare party membership at a branch by its return-to-team code (归队)",
)
def party_return(request: HttpRequest, payload: PartyMembershipIn):
    _, branch = selectors.organisation_for_code(code=payload.code, purpose=selectors.CODE_RETURN)
    declared = services.party_membership_declare(
        user=request.user,
        branch=branch,
        status=payload.status,
        home_branch=payload.home_branch,
        is_mobile=payload.is_mobile,
    )
    return 201, party_membership_payload(declared)


@router.get(
    "/me/party-membership",
    response={200: PartyMembershipOut, **problems(404)},
    operation_id="me_party_membership",
    summary="My own return-to-team declaration",
)
def me_party_membership(request: HttpRequest):
    return party_membership_payload(selectors.party_membership_mine(user=request.user))


@router.get(
    "/party/memberships",
    response=list[PartyMembershipOut],
    operation_id="party_memberships_list",
    summary="Declarations within the caller's party-work scope (audited)",
)
@paginate(Paged)
def party_memberships_list(request: HttpRequest, filters: Query[PartyMembershipFilters]):
    qs = selectors.party_membership_list(
        actor=request.user, state=filters.state, branch_id=filters.branch_id
    )
    return SerialisedPage(
        qs,
        party_membership_payload,
        after_page=lambda rows: selectors.party_memberships_audit(actor=request.user, rows=rows),
    )


@router.get(
    "/party/memberships/{party_membership_id}",
    response={200: PartyMembershipOut, **problems(404)},
    operation_id="party_memberships_get",
    summary="One declaration (audited)",
)
def party_memberships_get(request: HttpRequest, party_membership_id: int):
    row = selectors.party_membership_get(
        actor=request.user, party_membership_id=party_membership_id
    )
    return party_membership_payload(row)


@router.post(
    "/party/memberships/{party_membership_id}/confirm",
    response={200: PartyMembershipOut, **problems(404, 409)},
    operation_id="party_memberships_confirm",
    summary="Confirm a declaration (branch secretary)",
)
def party_memberships_confirm(request: HttpRequest, party_membership_id: int):
    row = selectors.party_membership_get(
        actor=request.user,
        party_membership_id=party_membership_id,
        action="party_membership.confirm",
    )
    return party_membership_payload(
        services.party_membership_confirm(party_membership=row, actor=request.user)
    )


@router.post(
    "/party/memberships/{party_membership_id}/decline",
    response={200: PartyMembershipOut, **problems(404, 409)},
    operation_id="party_memberships_decline",
    summary="Decline a declaration (branch secretary)",
)
def party_memberships_decline(request: HttpRequest, party_membership_id: int):
    row = selectors.party_membership_get(
        actor=request.user,
        party_membership_id=party_membership_id,
        action="party_membership.confirm",
    )
    return party_membership_payload(
        services.party_membership_decline(party_membership=row, actor=request.user)
    )


@router.get(
    "/party/stats",
    response={200: PartyStatsOut, **problems(404)},
    operation_id="party_stats",
    summary="Programme figures: members identified, mobile members re-registered, branches",
)
def party_stats(request: HttpRequest, filters: Query[PartyStatsFilters]):
    return selectors.party_programme_counts(actor=request.user, region_code=filters.region)
