"""What roles may do with the stations app's own actions.

The scopes of stations and partner places (a region admin's region, a station manager's
station) are registered by accounts, where the station manager role is defined; this module
only says which roles may take the actions stations adds.

- `station.print_poster`: fetch a station's visit QR code (打卡码) and its printable poster.
  The code lets anyone holding it record a visit there, so only those who run the station get
  it: its station manager and the region admins above it (and superusers).
"""

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {"station.print_poster"},
    "station_manager": {"station.print_poster"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
