"""A report's statuses: Open311's extended statuses, which of them Open311 calls closed, and
which accept a report as valid. The moves between them are the table in `workflow`."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

REPORTER_WINDOW = timedelta(days=14)


class Status(models.TextChoices):
    FOR_TRIAGE = "for_triage", _("待分拣")
    OPEN = "open", _("已受理")
    INVESTIGATING = "investigating", _("核查中")
    ACTION_SCHEDULED = "action_scheduled", _("已安排处置")
    IN_PROGRESS = "in_progress", _("处置中")
    FIXED = "fixed", _("已修复")
    CLOSED = "closed", _("已办结")
    DUPLICATE = "duplicate", _("重复问题")
    NO_FURTHER_ACTION = "no_further_action", _("无需处置")
    INTERNAL_REFERRAL = "internal_referral", _("已转其他部门")
    REOPEN = "reopen", _("重新打开")


S = Status

# Statuses Open311 calls "closed"; every other is "open".
CLOSED_STATUSES = frozenset(
    {S.FIXED, S.CLOSED, S.DUPLICATE, S.NO_FURTHER_ACTION, S.INTERNAL_REFERRAL}
)
# Moving a report into one of these (by staff) accepts it as a valid report: points to the
# reporter, at most once per report.
VALID_STATUSES = frozenset({S.OPEN, S.INVESTIGATING, S.ACTION_SCHEDULED, S.IN_PROGRESS, S.FIXED})


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status
