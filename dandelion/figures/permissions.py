"""What roles may do with the figures.

- `figures.view`: read the programme figures (`GET /api/v1/figures`, the dashboard, the exports
  and the monthly brief) of a region and everything inside it. Region admins and auditors,
  over the regions they hold their role in; the scope of regions themselves is registered by
  accounts (a region grant reaches the regions whose code starts with its prefix).
"""

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {"figures.view"},
    "auditor": {"figures.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
