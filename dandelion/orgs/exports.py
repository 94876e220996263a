"""The person's organisations and party declarations in `GET /me/export`."""

from .models import Membership, PartyMembership


def memberships_export(user) -> list[dict]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "status": m.status,
            "requested_at": m.requested_at,
            "decided_at": m.decided_at,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def party_memberships_export(user) -> list[dict]:
    return [
        {
            "branch": pm.branch.name,
            "status": pm.status,
            "home_branch": pm.home_branch,
            "is_mobile": pm.is_mobile,
            "state": pm.state,
            "declared_at": pm.declared_at,
            "decided_at": pm.decided_at,
        }
        for pm in PartyMembership.objects.filter(user=user).select_related("branch")
    ]
