"""What roles may do with organisations, memberships and party membership, and where.

Leaders, secretaries and handlers hold their powers through their membership: an active
membership with one of those roles is turned into a grant over the organisation's subtree, so a
team leader is an organiser of their team without a separate role assignment.
"""

from django.db.models import Exists, OuterRef, Q

from dandelion.core import permissions
from dandelion.core.permissions import Grant

from .models import Membership, Organisation

ROLE_ACTIONS = {
    "region_admin": {
        "org.view",
        "org.change",
        "org.create",
        "org.share_code",
        "membership.view",
        "membership.approve",
        "party.stats",
    },
    "dispatcher": {"org.view"},
    "department_handler": {"org.view"},
    "station_manager": {"org.view"},
    "organiser": {
        "org.view",
        "org.change",
        "org.share_code",
        "membership.view",
        "membership.approve",
    },
    # Party membership is seen only by party-work roles: branch and committee secretaries hold
    # this through their membership; region admins only when also assigned this role.
    "party_officer": {
        "org.view",
        "party_membership.view",
        "party_membership.confirm",
        "party.stats",
    },
    "auditor": {"org.view", "membership.view", "party.stats"},
}

MEMBERSHIP_ROLE_GRANTS = {
    Membership.Role.LEADER: ("organiser",),
    Membership.Role.SECRETARY: ("organiser",),
    Membership.Role.HANDLER: ("department_handler",),
}
PARTY_OFFICER_ROLES = {Membership.Role.LEADER, Membership.Role.SECRETARY}


def membership_grants(user) -> list[Grant]:
    grants = []
    memberships = Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=list(MEMBERSHIP_ROLE_GRANTS),
        organisation__is_active=True,
    ).select_related("organisation")
    for membership in memberships:
        org = membership.organisation
        roles = list(MEMBERSHIP_ROLE_GRANTS[membership.role])
        if org.is_party and membership.role in PARTY_OFFICER_ROLES:
            roles.append("party_officer")
        grants.extend(Grant(role, organisation_path=org.path) for role in roles)
    return grants


def _open_membership(**filters) -> Q:
    return Q(Exists(Membership.objects.filter(status__in=Membership.OPEN_STATUSES, **filters)))


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_grant_loader(membership_grants)

    permissions.register_scope(
        Organisation,
        region=lambda prefix: Q(region__code__startswith=prefix),
        organisation=lambda path: Q(path__startswith=path),
        station=lambda station_id: Q(station_id=station_id),
    )
    permissions.register_scope(
        Membership,
        region=lambda prefix: Q(organisation__region__code__startswith=prefix),
        organisation=lambda path: Q(organisation__path__startswith=path),
        station=lambda station_id: Q(organisation__station_id=station_id),
    )
    permissions.register_scope(
        "orgs.partymembership",
        region=lambda prefix: Q(branch__region__code__startswith=prefix),
        organisation=lambda path: Q(branch__path__startswith=path),
    )
    # Members of an organisation are people its leaders may see.
    permissions.register_scope(
        "accounts.user",
        organisation=lambda path: _open_membership(
            user=OuterRef("pk"), organisation__path__startswith=path
        ),
    )

    # What anyone signed in reaches by relation: their own organisations and memberships.
    permissions.register_rule(
        "org.view",
        Organisation,
        lambda user: _open_membership(user=user, organisation=OuterRef("pk")),
    )
    permissions.register_rule("membership.view", Membership, lambda user: Q(user=user))
    permissions.register_rule(
        "membership.leave",
        Membership,
        lambda user: Q(user=user, status__in=Membership.OPEN_STATUSES),
    )
    permissions.register_rule(
        "party_membership.view", "orgs.partymembership", lambda user: Q(user=user)
    )
