""" "Me too" (我也遇到): a person who saw the same problem follows the report."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict

from ..errors import ReportsError
from ..models import Report, ReportEvent, ReportSupporter
from .common import no_such_report

E = ReportEvent


@transaction.atomic
def report_support(*, report_id: int, user, now: datetime | None = None) -> tuple[Report, bool]:
    """ "Me too": `user` saw the same problem and follows the report. Idempotent per person
    (a second call changes nothing and answers `False`). The reporter cannot support their own
    report, and nobody supports a closed one."""
    now = now or timezone.now()
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise no_such_report()
    if report.reporter_id == user.pk:
        raise Conflict(_("这是你自己的随手拍。"), code=ReportsError.OWN_REPORT)
    if ReportSupporter.objects.filter(report=report, user=user).exists():
        return report, False
    if report.is_closed:
        raise Conflict(
            _("这条随手拍已办结，不能再附议。"),
            code=ReportsError.REPORT_CLOSED,
            extra={"entity": "report", "state": report.status},
        )
    try:
        with transaction.atomic():
            ReportSupporter.objects.create(report=report, user=user, created_at=now)
    except IntegrityError:
        return report, False
    E.objects.create(
        report=report,
        kind=E.Kind.SUPPORTED,
        action=E.Kind.SUPPORTED,
        actor=user,
        actor_role=E.Actor.REPORTER,
        created_at=now,
    )
    return report, True
