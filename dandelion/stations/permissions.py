"""What roles may do with the stations app's own actions.

The scopes of stations and partner places (a region admin's region, a station manager's
station) are registered by accounts, where the station manager role is defined; this module
only says which roles may take the actions stations adds, and how those scopes select visits.

- `station.print_poster`: fetch a station's visit QR code (打卡码) and its printable poster,
  and rotate its secret. The code lets anyone holding it record a visit there, so only those
  who run the station get it: its station manager and the region admins above it (and
  superusers).
- `station_visit.view`: the visits to a station (its manager, the region admins above it).
- `station_visit.review`: accept or reject a visit flagged as implausible travel. Not the
  station's own manager, whose figures the visits raise: the region admins above it.
- `station.confirm_facts`: say the station's facts (area, seats, amenities, hours) are still
  true ("信息已核实"): its manager and the region admins above it.
- `station_service.log` / `station_service.view`: add to / read the station's work log (the
  services it held): its manager and the region admins above it; auditors read it.
"""

from django.db.models import Q

from dandelion.core import permissions

WORK_LOG = {"station.confirm_facts", "station_service.log", "station_service.view"}

ROLE_ACTIONS = {
    "region_admin": {
        "station.print_poster",
        "station_visit.view",
        "station_visit.review",
        *WORK_LOG,
    },
    "station_manager": {"station.print_poster", "station_visit.view", *WORK_LOG},
    "auditor": {"station_service.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "stations.stationvisit",
        region=lambda prefix: Q(station__region__code__startswith=prefix),
        station=lambda station_id: Q(station_id=station_id),
    )
    permissions.register_scope(
        "stations.stationservicelog",
        region=lambda prefix: Q(station__region__code__startswith=prefix),
        station=lambda station_id: Q(station_id=station_id),
    )
