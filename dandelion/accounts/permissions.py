"""What staff roles may do with people, roles, stations and partner places, and where their
scopes reach.

Registered with `core.permissions` from `AccountsConfig.ready()`. Station scopes live here (not in
stations) because the station-scoped role, station manager, is defined here.

Adding a place is held over a region: the regions a user may add stations in are
`scope_queryset(user, "station.add", Region.objects.all())` (partner places: `partner_place.add`),
and a new place's region must be one of them.
"""

from django.db.models import Exists, OuterRef, Q

from dandelion.core import permissions
from dandelion.core.permissions import Grant

from .models import RoleAssignment

Role = RoleAssignment.Role

ROLE_ACTIONS = {
    Role.REGION_ADMIN: {
        "user.view",
        "user.change",
        "user.view_phone",
        "role.view",
        "role.assign",
        "station.view",
        "station.change",
        "station.add",
        "partner_place.view",
        "partner_place.change",
        "partner_place.add",
    },
    Role.DISPATCHER: {"user.view", "station.view"},
    Role.DEPARTMENT_HANDLER: set(),
    Role.STATION_MANAGER: {"station.view", "station.change"},
    Role.ORGANISER: set(),
    Role.PARTY_OFFICER: set(),
    Role.AUDITOR: {"user.view", "role.view", "station.view", "audit.view"},
}


def role_assignment_grants(user) -> list[Grant]:
    grants = []
    for assignment in RoleAssignment.objects.filter(user=user).select_related(
        "region", "organisation"
    ):
        if assignment.region_id:
            grants.append(Grant(assignment.role, region_prefix=assignment.region.code_prefix))
        elif assignment.organisation_id:
            if assignment.organisation.is_active:
                grants.append(
                    Grant(assignment.role, organisation_path=assignment.organisation.path)
                )
        else:
            grants.append(Grant(assignment.role, station_id=assignment.station_id))
    return grants


def _assignments_within_region(prefix: str) -> Q:
    return (
        Q(region__code__startswith=prefix)
        | Q(organisation__region__code__startswith=prefix)
        | Q(station__region__code__startswith=prefix)
    )


def _user_has_role(condition: Q) -> Q:
    return Q(Exists(RoleAssignment.objects.filter(condition, user=OuterRef("pk"))))


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_grant_loader(role_assignment_grants)

    # People: workers by the street they work in; staff by where their roles are held.
    permissions.register_scope(
        "accounts.user",
        region=lambda prefix: (
            Q(worker_profile__work_region__code__startswith=prefix)
            | _user_has_role(_assignments_within_region(prefix))
        ),
        organisation=lambda path: _user_has_role(Q(organisation__path__startswith=path)),
        station=lambda station_id: _user_has_role(Q(station_id=station_id)),
    )
    permissions.register_rule("user.view", "accounts.user", lambda user: Q(pk=user.pk))
    permissions.register_scope(
        "accounts.workerprofile",
        region=lambda prefix: Q(work_region__code__startswith=prefix),
    )
    permissions.register_scope(
        "accounts.roleassignment",
        region=_assignments_within_region,
        organisation=lambda path: Q(organisation__path__startswith=path),
        station=lambda station_id: Q(station_id=station_id),
    )
    permissions.register_scope("regions.region", region=lambda prefix: Q(code__startswith=prefix))
    permissions.register_scope(
        "stations.station",
        region=lambda prefix: Q(region__code__startswith=prefix),
        station=lambda station_id: Q(pk=station_id),
    )
    permissions.register_scope(
        "stations.partnerplace", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "core.auditevent", region=lambda prefix: Q(region_code__startswith=prefix)
    )
