"""Who may manage and see activities, and where: organisers (team leaders through their
membership) over their organisation's activities, region admins over their region's, station
managers see the activities held at their station, auditors read."""

from django.db.models import Q

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {"activity.manage", "activity.view", "hours.view"},
    "organiser": {"activity.manage", "activity.view", "hours.view"},
    "station_manager": {"activity.view"},
    "auditor": {"activity.view", "hours.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "volunteering.activity",
        region=lambda prefix: Q(region__code__startswith=prefix),
        organisation=lambda path: Q(organisation__path__startswith=path),
        station=lambda station_id: Q(station_id=station_id),
    )
    permissions.register_scope(
        "volunteering.attendance",
        region=lambda prefix: Q(activity__region__code__startswith=prefix),
        organisation=lambda path: Q(activity__organisation__path__startswith=path),
        station=lambda station_id: Q(activity__station_id=station_id),
    )
