"""Routing a report by hand: a dispatcher sends it to another organisation of their region."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict
from dandelion.core.permissions import require
from dandelion.orgs.selectors import organisations_active_visible

from ..errors import ReportsError
from ..models import Report, ReportEvent
from .common import clean_note, no_such_report, notify_handlers, refuse

E = ReportEvent


@transaction.atomic
def report_route(
    *, report_id: int, actor, organisation_id: int, note: str = "", now: datetime | None = None
) -> Report:
    """A dispatcher sends a report to another organisation of their region. The new
    organisation's handlers are told; the status is unchanged."""
    now = now or timezone.now()
    note = clean_note(note, required=False)
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "region")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise no_such_report()
    require(actor, "report.route", report)
    if report.is_closed:
        raise Conflict(
            _("这条随手拍已办结（%(state)s），不能改派。") % {"state": report.status},
            code=ReportsError.REPORT_CLOSED,
            extra={"entity": "report", "state": report.status},
        )
    organisation = organisations_active_visible(actor=actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise refuse(
            "organisation_id", ReportsError.INVALID_ORGANISATION, _("请选择你所在区域的在用单位。")
        )
    if organisation.pk == report.organisation_id:
        raise Conflict(_("这条随手拍已经在这个单位。"), code=ReportsError.ALREADY_ROUTED)
    report.organisation = organisation
    report.updated_at = now
    report.save(update_fields=["organisation", "updated_at"])
    E.objects.create(
        report=report,
        kind=E.Kind.ROUTED,
        action=E.Kind.ROUTED,
        organisation=organisation,
        note=note,
        actor=actor,
        actor_role=E.Actor.STAFF,
        created_at=now,
    )
    notify_handlers(report, organisation)
    return report
