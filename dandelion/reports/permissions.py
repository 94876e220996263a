"""Who may do what with reports, and where.

- `report.view_staff`: the staff view (queue, detail with the reporter's masked phone when the
  role needs it, routing, full history).
- `report.update_status`: move a report through the status table.
- `report.route`: send a report to another organisation (dispatchers and region admins).
- `report.mark_duplicate`: merge a report into another one.
- `report.contact_reporter`: see the reporter's masked phone (to call back through the platform).
- `report_config.view` / `report_config.change`: categories, routing rules and Open311 keys of
  a region (the admin).

Region roles reach reports whose place is in their region; a department handler reaches the
reports routed to their organisation (and its sub-organisations). The public reads reports
without any of these: public payloads carry no reporter at all.
"""

from django.db.models import Q

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {
        "report.view_staff",
        "report.update_status",
        "report.route",
        "report.mark_duplicate",
        "report.contact_reporter",
        "report_config.view",
        "report_config.change",
    },
    "dispatcher": {
        "report.view_staff",
        "report.update_status",
        "report.route",
        "report.mark_duplicate",
        "report.contact_reporter",
    },
    "department_handler": {
        "report.view_staff",
        "report.update_status",
        "report.contact_reporter",
    },
    "auditor": {"report.view_staff"},
}


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "reports.report",
        region=lambda prefix: Q(region__code__startswith=prefix),
        organisation=lambda path: Q(organisation__path__startswith=path),
    )
    for label in ("reports.reportcategory", "reports.routingrule", "reports.apikey"):
        permissions.register_scope(label, region=lambda prefix: Q(region__code__startswith=prefix))
