from dandelion.core.refs import region_ref, user_ref

from ..models import Membership, Organisation, PartyMembership

__all__ = [
    "membership_payload",
    "organisation_payload",
    "organisation_ref",
    "party_membership_payload",
    "region_ref",
    "user_ref",
]


def organisation_ref(org: Organisation) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
    }


def organisation_payload(org: Organisation, my_membership: Membership | None = None) -> dict:
    return {
        **organisation_ref(org),
        "region": region_ref(org.region),
        "parent_id": org.parent_id,
        "station": {"id": org.station.pk, "name": org.station.name} if org.station_id else None,
        "description": org.description,
        "is_active": org.is_active,
        "my_membership": (
            {"id": my_membership.pk, "role": my_membership.role, "status": my_membership.status}
            if my_membership is not None
            else None
        ),
    }


def membership_payload(membership: Membership) -> dict:
    return {
        "id": membership.pk,
        "organisation": organisation_ref(membership.organisation),
        "user": user_ref(membership.user),
        "role": membership.role,
        "role_label": str(membership.get_role_display()),
        "status": membership.status,
        "status_label": str(membership.get_status_display()),
        "requested_at": membership.requested_at,
        "decided_at": membership.decided_at,
    }


def party_membership_payload(pm: PartyMembership) -> dict:
    return {
        "id": pm.pk,
        "user": user_ref(pm.user),
        "branch": organisation_ref(pm.branch),
        "status": pm.status,
        "status_label": str(pm.get_status_display()),
        "home_branch": pm.home_branch,
        "is_mobile": pm.is_mobile,
        "state": pm.state,
        "state_label": str(pm.get_state_display()),
        "declared_at": pm.declared_at,
        "decided_at": pm.decided_at,
    }
