"""Who may do what with standards and assessments, and where.

- `standard.view`: read a region's standards in the console (staff of the region).
- `standard.change`: edit a draft and publish it (region admins of the region).
- `assessment.view`: see a station's assessments (its manager, the region's staff above it).
- `assessment.self_assess`: fill in the station's self-assessment, upload evidence, appeal
  (the station's manager).
- `assessment.review`: score each indicator, override a measured value with a reason, return
  for more evidence. The reviewer is a **dispatcher** (the social-work office) or a region admin
  whose region holds the station: a street's dispatcher reviews the street's stations only.
- `assessment.approve`: approve (award the stars), answer appeals (region admins).
- `assessment_round.open`: open a round for every active station of a region (region admins).
- `spot_check.record`: record an unannounced check of a station's opening (dispatchers, admins).

Region scopes select by the station's region code; the station scope by the station.
"""

from django.db.models import Q

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {
        "standard.view",
        "standard.change",
        "assessment.view",
        "assessment.review",
        "assessment.approve",
        "assessment_round.open",
        "spot_check.record",
    },
    "dispatcher": {
        "standard.view",
        "assessment.view",
        "assessment.review",
        "spot_check.record",
    },
    "station_manager": {"assessment.view", "assessment.self_assess"},
    "auditor": {"standard.view", "assessment.view"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "standards.assessment",
        region=lambda prefix: Q(station__region__code__startswith=prefix),
        station=lambda station_id: Q(station_id=station_id),
    )
    permissions.register_scope(
        "standards.standard", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "standards.assessmentround", region=lambda prefix: Q(region__code__startswith=prefix)
    )
