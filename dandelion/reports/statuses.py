"""A report's life: Open311's extended statuses and the one table of allowed transitions.

Who moves a report:
- staff (dispatchers, region admins, the handling organisation) through `TRANSITIONS`;
- the reporter confirms a fix (fixed → closed) or reopens it (fixed/closed → reopen) within
  `REPORTER_WINDOW` of the fix;
- the clock closes a fix nobody reopened once that window has passed (fixed → closed).
Marking a duplicate has its own service (it needs the original), but is the same table's
`→ duplicate` edge.
"""

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
STAFF, REPORTER, SYSTEM = "staff", "reporter", "system"

# Statuses Open311 calls "closed"; every other is "open".
CLOSED_STATUSES = frozenset(
    {S.FIXED, S.CLOSED, S.DUPLICATE, S.NO_FURTHER_ACTION, S.INTERNAL_REFERRAL}
)
# Moving a report into one of these (by staff) accepts it as a valid report: points to the
# reporter, at most once per report.
VALID_STATUSES = frozenset({S.OPEN, S.INVESTIGATING, S.ACTION_SCHEDULED, S.IN_PROGRESS, S.FIXED})

_WORKING = (S.OPEN, S.INVESTIGATING, S.ACTION_SCHEDULED, S.IN_PROGRESS)
_ENDINGS = (S.FIXED, S.CLOSED, S.NO_FURTHER_ACTION, S.INTERNAL_REFERRAL)


def _staff_edges() -> dict[tuple[str, str], frozenset[str]]:
    edges: dict[tuple[str, str], set[str]] = {}

    def add(source, targets, who=STAFF):
        for target in targets:
            if target != source:
                edges.setdefault((source, target), set()).add(who)

    for source in (S.FOR_TRIAGE, S.REOPEN, *_WORKING):
        add(source, (*_WORKING, *_ENDINGS))
    for source in (S.FOR_TRIAGE, S.OPEN, S.INVESTIGATING, S.REOPEN):
        add(source, (S.DUPLICATE,))
    for source in (S.FIXED, S.CLOSED, S.NO_FURTHER_ACTION, S.INTERNAL_REFERRAL):
        add(source, (S.REOPEN,))
    add(S.FIXED, (S.CLOSED,))
    add(S.FIXED, (S.CLOSED, S.REOPEN), REPORTER)
    add(S.CLOSED, (S.REOPEN,), REPORTER)
    add(S.FIXED, (S.CLOSED,), SYSTEM)
    return {edge: frozenset(who) for edge, who in edges.items()}


# (from, to) → who may make that move. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = _staff_edges()


def allowed(source: str, target: str, who: str) -> bool:
    return who in TRANSITIONS.get((source, target), ())


def targets_for(source: str, who: str = STAFF) -> list[str]:
    """Where `who` may move a report from `source`, in the statuses' own order."""
    return [s for s in Status.values if allowed(source, s, who)]


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status
