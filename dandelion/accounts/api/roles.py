"""Staff role assignments: who holds which role where. Granting and revoking need `role.assign`
over the scope in question, so nobody hands out more than they hold."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.errors import InvalidInput, NotFound
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.core.permissions import get_permitted, require
from dandelion.regions.selectors import region_get

from .. import selectors, services
from ..models import RoleAssignment, User
from .payloads import role_assignment_payload
from .schemas import RoleAssignmentFilters, RoleAssignmentIn, RoleAssignmentOut

router = Router(tags=["roles"])

# The organisation and station models, reached through the foreign keys so accounts does not
# import the apps that define them.
Organisation = RoleAssignment._meta.get_field("organisation").related_model
Station = RoleAssignment._meta.get_field("station").related_model


def _scope(payload: RoleAssignmentIn) -> dict:
    given = [
        name
        for name in ("region_code", "organisation_id", "station_id")
        if getattr(payload, name) is not None
    ]
    if len(given) != 1:
        raise InvalidInput(
            "Give exactly one of region_code, organisation_id, station_id.",
            code="invalid_scope",
            errors=[{"field": "scope", "msg": "exactly one scope"}],
        )
    if payload.region_code is not None:
        return {"region": region_get(code=payload.region_code)}
    model, key, pk = (
        (Organisation, "organisation", payload.organisation_id)
        if payload.organisation_id is not None
        else (Station, "station", payload.station_id)
    )
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"No such {key}.", code=f"{key}_not_found")
    return {key: obj}


@router.get(
    "/roles",
    response=list[RoleAssignmentOut],
    operation_id="roles_list",
    summary="Role assignments within the caller's scope",
)
@paginate(Paged)
def roles_list(request: HttpRequest, filters: Query[RoleAssignmentFilters]):
    require(request.user, "role.view")
    qs = selectors.role_assignment_list(
        actor=request.user, user_id=filters.user_id, role=filters.role
    )
    return SerialisedPage(qs, role_assignment_payload)


@router.post(
    "/roles",
    response={201: RoleAssignmentOut},
    operation_id="roles_assign",
    summary="Give someone a role over a region, organisation or station (audited)",
)
def roles_assign(request: HttpRequest, payload: RoleAssignmentIn):
    scope = _scope(payload)
    (scope_object,) = scope.values()
    require(request.user, "role.assign", scope_object)
    user = User.objects.filter(pk=payload.user_id).first()
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    assignment = services.role_assign(user=user, role=payload.role, actor=request.user, **scope)
    return 201, role_assignment_payload(assignment)


@router.delete(
    "/roles/{assignment_id}",
    response={204: None},
    operation_id="roles_revoke",
    summary="Take a role away (audited)",
)
def roles_revoke(request: HttpRequest, assignment_id: int):
    assignment = get_permitted(
        request.user,
        "role.assign",
        RoleAssignment.objects.select_related("user", "region", "organisation", "station"),
        pk=assignment_id,
    )
    services.role_revoke(assignment=assignment, actor=request.user)
    return 204, None
