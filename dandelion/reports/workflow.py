"""A report's life as the one table of allowed moves (`core.workflow`).

Who moves a report:
- staff (dispatchers, region admins, the handling organisation): `to_<status>`, with the
  permission to change statuses (`report.update_status`), or to merge duplicates
  (`to_duplicate`, `report.mark_duplicate`: it has its own service, which names the original);
- the reporter confirms a fix (`confirm_fixed`: fixed → closed) or reopens it (`reopen`:
  fixed/closed → reopen) within `REPORTER_WINDOW` of the fix;
- the clock closes a fix nobody reopened once that window has passed (`close_confirmed`:
  fixed → closed).

Every status has a staff action, even one no state may take (`to_for_triage`), so asking for
it is the one 409 naming the report's state, like any other move the state does not allow.
"""

from dandelion.core.workflow import SYSTEM, Transition, Workflow

from .statuses import REPORTER_WINDOW, Status

S = Status
STAFF, REPORTER = "staff", "reporter"
ROLES = (STAFF, REPORTER, SYSTEM)

UPDATE = "report.update_status"
MARK_DUPLICATE = "report.mark_duplicate"
CONFIRM_FIXED, REOPEN, CLOSE_CONFIRMED = "confirm_fixed", "reopen", "close_confirmed"

_WORKING = (S.OPEN, S.INVESTIGATING, S.ACTION_SCHEDULED, S.IN_PROGRESS)
_ENDINGS = (S.FIXED, S.CLOSED, S.NO_FURTHER_ACTION, S.INTERNAL_REFERRAL)
# Where staff handle a report from: waiting, reopened or being worked on.
_HANDLING = (S.FOR_TRIAGE, S.REOPEN, *_WORKING)


def staff_action(status: str) -> str:
    """The staff action that moves a report to `status`."""
    return f"to_{status}"


def _staff() -> list[Transition]:
    table = []
    for target in S:
        if target in _WORKING:
            sources = [s for s in _HANDLING if s != target]
        elif target == S.CLOSED:
            sources = [*_HANDLING, S.FIXED]
        elif target in _ENDINGS:
            sources = list(_HANDLING)
        elif target == S.DUPLICATE:
            sources = [S.FOR_TRIAGE, S.OPEN, S.INVESTIGATING, S.REOPEN]
        elif target == S.REOPEN:
            sources = list(_ENDINGS)
        else:  # for_triage: where a report starts, never where it goes back to
            sources = []
        permission = MARK_DUPLICATE if target == S.DUPLICATE else UPDATE
        table.append(
            Transition(staff_action(target), sources, target, actors={STAFF}, permission=permission)
        )
    return table


WORKFLOW = Workflow(
    entity="report",
    state_field="status",
    transitions=[
        *_staff(),
        Transition(CONFIRM_FIXED, [S.FIXED], S.CLOSED, actors={REPORTER}),
        Transition(REOPEN, [S.FIXED, S.CLOSED], S.REOPEN, actors={REPORTER}),
        Transition(CLOSE_CONFIRMED, [S.FIXED], S.CLOSED, actors={SYSTEM}),
    ],
)


def allowed_moves() -> frozenset[tuple[str, str, str]]:
    """Every (from, to, who) the table allows."""
    return frozenset(
        (source, t.target, role)
        for t in WORKFLOW.transitions
        for source in t.sources
        for role in t.actors
    )


def allowed(source: str, target: str, who: str) -> bool:
    return (source, target, who) in _ALLOWED


def staff_targets(source: str) -> list[str]:
    """Where staff may move a report from `source`, in the statuses' own order."""
    return [s for s in S.values if WORKFLOW.is_possible(staff_action(s), source, STAFF)]


_ALLOWED = allowed_moves()

__all__ = [
    "CLOSE_CONFIRMED",
    "CONFIRM_FIXED",
    "REOPEN",
    "REPORTER",
    "REPORTER_WINDOW",
    "ROLES",
    "STAFF",
    "SYSTEM",
    "WORKFLOW",
    "allowed",
    "allowed_moves",
    "staff_action",
    "staff_targets",
]
