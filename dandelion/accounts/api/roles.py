"""Staff role assignments: who holds which role where. Granting and revoking need `role.assign`
over the scope in question (the service and selector check), so nobody hands out more than they
hold."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import role_assignment_payload
from .schemas import RoleAssignmentFilters, RoleAssignmentIn, RoleAssignmentOut

router = Router(tags=["roles"])


@router.get(
    "/roles",
    response=list[RoleAssignmentOut],
    operation_id="roles_list",
    summary="Role assignments within the caller's scope",
)
@paginate(Paged)
def roles_list(request: HttpRequest, filters: Query[RoleAssignmentFilters]):
    qs = selectors.role_assignment_list(
        actor=request.user, user_id=filters.user_id, role=filters.role
    )
    return SerialisedPage(qs, role_assignment_payload)


@router.post(
    "/roles",
    response={201: RoleAssignmentOut, **problems(404, 409)},
    operation_id="roles_assign",
    summary="Give someone a role over a region, organisation or station (audited)",
)
def roles_assign(request: HttpRequest, payload: RoleAssignmentIn):
    given = [
        name
        for name in ("region_code", "organisation_id", "station_id")
        if getattr(payload, name) is not None
    ]
    if len(given) != 1:
        raise services.role_scope_invalid()
    scope = selectors.role_scope_get(
        actor=request.user,
        region_code=payload.region_code,
        organisation_id=payload.organisation_id,
        station_id=payload.station_id,
    )
    user = selectors.person_get(actor=request.user, user_id=payload.user_id)
    assignment = services.role_assign(user=user, role=payload.role, actor=request.user, **scope)
    return 201, role_assignment_payload(assignment)


@router.delete(
    "/roles/{assignment_id}",
    response={204: None, **problems(404)},
    operation_id="roles_revoke",
    summary="Take a role away (audited)",
)
def roles_revoke(request: HttpRequest, assignment_id: int):
    assignment = selectors.role_assignment_for_revoking(
        actor=request.user, assignment_id=assignment_id
    )
    services.role_revoke(assignment=assignment, actor=request.user)
    return 204, None
