"""Who may manage rewards, fulfil redemptions, award points and set rules, and where.

Station managers act for their station's rewards; leaders and handlers of a merchant
organisation (organiser / department_handler through their membership) for the merchant's;
region admins for everything in their region. Workers reach their own redemptions by relation
(they see and may cancel them).
"""

from django.db.models import Q

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {
        "reward.manage",
        "reward.view",
        "redemption.view",
        "redemption.fulfil",
        "redemption.cancel",
        "points.award",
        "points.rule_manage",
        "points.view",
    },
    "station_manager": {
        "reward.manage",
        "reward.view",
        "redemption.view",
        "redemption.fulfil",
        "redemption.cancel",
    },
    "organiser": {
        "reward.manage",
        "reward.view",
        "redemption.view",
        "redemption.fulfil",
        "redemption.cancel",
    },
    "department_handler": {
        "reward.view",
        "redemption.view",
        "redemption.fulfil",
        "redemption.cancel",
    },
    "auditor": {"reward.view", "redemption.view", "points.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "points.reward",
        region=lambda prefix: Q(region__code__startswith=prefix),
        station=lambda station_id: Q(station_id=station_id),
        organisation=lambda path: Q(organisation__path__startswith=path),
    )
    permissions.register_scope(
        "points.redemption",
        region=lambda prefix: Q(reward__region__code__startswith=prefix),
        station=lambda station_id: Q(reward__station_id=station_id),
        organisation=lambda path: Q(reward__organisation__path__startswith=path),
    )
    permissions.register_scope(
        "points.earningrule", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "points.transfer",
        region=lambda prefix: (
            Q(debit__region__code__startswith=prefix) | Q(credit__region__code__startswith=prefix)
        ),
    )
    # Workers see and may cancel their own codes; whoever may fulfil a code may also cancel it.
    permissions.register_rule("redemption.view", "points.redemption", _own)
    permissions.register_rule("redemption.cancel", "points.redemption", _own)


def _own(user) -> Q:
    return Q(user=user)
