"""Who may see coverage, and where.

- `coverage.view`: a region's coverage (cells, gaps, people reached), its worker demand trace and
  siting suggestions. Region staff of that region or a region above it: region admins,
  dispatchers and auditors. The region's own facts (name, boundary, population) are public; what
  the network leaves uncovered is a planning matter for the region's staff.

Regions' region scope (a division-code prefix selects the regions below it) is registered by
accounts; this module only says which roles may take coverage's actions.
"""

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {"coverage.view"},
    "dispatcher": {"coverage.view"},
    "auditor": {"coverage.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
