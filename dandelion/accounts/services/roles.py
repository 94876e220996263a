"""Granting and revoking staff roles. Every change is audited."""

from django.db import transaction

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput
from dandelion.core.permissions import grants_forget

from ..models import RoleAssignment, User


def _scope_region_code(assignment: RoleAssignment) -> str:
    scope = assignment.scope
    region = scope if assignment.region_id else scope.region
    return region.code


def _audit(action: str, assignment: RoleAssignment, actor) -> None:
    audit_record(
        actor=actor,
        action=action,
        subject=assignment.user,
        target=assignment,
        region_code=_scope_region_code(assignment),
        detail={
            "role": assignment.role,
            "scope": {
                "region": assignment.region.code if assignment.region_id else None,
                "organisation": assignment.organisation_id,
                "station": assignment.station_id,
            },
        },
    )


@transaction.atomic
def role_assign(
    *, user: User, role: str, region=None, organisation=None, station=None, actor=None
) -> RoleAssignment:
    """Give `user` the `role` over exactly one scope. Holding any role makes the user staff (able
    to open the staff console and admin, where the role's scope decides what they see)."""
    if role not in RoleAssignment.Role.values:
        raise InvalidInput(
            f"Unknown role {role!r}.",
            code="invalid_role",
            errors=[{"field": "role", "msg": "unknown role"}],
        )
    if sum(scope is not None for scope in (region, organisation, station)) != 1:
        raise InvalidInput(
            "A role is held over exactly one region, organisation or station.",
            code="invalid_scope",
            errors=[{"field": "scope", "msg": "give exactly one of region, organisation, station"}],
        )
    if not user.is_active:
        raise Conflict("The account is not active.", code="user_inactive")
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, region=region, organisation=organisation, station=station
    )
    if duplicate.exists():
        raise Conflict("The user already holds this role there.", code="role_exists")
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        region=region,
        organisation=organisation,
        station=station,
        granted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _audit("role.grant", assignment, actor)
    grants_forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor=None) -> None:
    _audit("role.revoke", assignment, actor)
    assignment.delete()
    grants_forget(assignment.user)
