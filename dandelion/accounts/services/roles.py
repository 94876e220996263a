"""Granting and revoking staff roles. Every change is audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput, field_error
from dandelion.core.permissions import grants_forget, require

from ..errors import AccountsError
from ..models import RoleAssignment, User

SCOPE_MESSAGE = _("角色只能授予在一个区域、一个组织或一个驿站上。")


def role_scope_invalid() -> InvalidInput:
    """A role's scope that is not exactly one region, organisation or station."""
    return InvalidInput(
        SCOPE_MESSAGE,
        code=AccountsError.INVALID_SCOPE,
        errors=[field_error("scope", AccountsError.INVALID_SCOPE, SCOPE_MESSAGE)],
    )


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
    """Give `user` the `role` over exactly one scope. A person granting (`actor`) needs
    `role.assign` over that scope; `None` is the system (setup, the demo).

    Holding a role also sets `is_staff`, which only opens the Django admin's door: what anyone
    sees and changes there, as everywhere, is decided by `core.permissions` from their roles."""
    if role not in RoleAssignment.Role.values:
        message = _("没有这个角色：%(role)s。") % {"role": role}
        raise InvalidInput(
            message,
            code=AccountsError.INVALID_CHOICE,
            errors=[field_error("role", AccountsError.INVALID_CHOICE, message)],
        )
    if sum(scope is not None for scope in (region, organisation, station)) != 1:
        raise role_scope_invalid()
    if actor is not None:
        require(actor, "role.assign", region or organisation or station)
    if not user.is_active:
        raise Conflict(_("该账号未启用。"), code=AccountsError.USER_INACTIVE)
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, region=region, organisation=organisation, station=station
    )
    if duplicate.exists():
        raise Conflict(_("此人已在这里担任这个角色。"), code=AccountsError.ROLE_EXISTS)
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
