"""The one table of a need's allowed moves. Everything that changes `Need.state` goes through
`services.need_transition`, which looks the move up here; anything else is a 409 that names the
current state."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict

from .models import Need

S = Need.State
REOPEN_WINDOW = timedelta(days=7)
SUBMIT = "submit"  # the event that creates a need: "" → submitted


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str  # the core.permissions action the caller needs on the need


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # Dispatching again while dispatched is re-routing to another department.
        Transition(
            "dispatch", frozenset({S.SUBMITTED, S.DISPATCHED}), S.DISPATCHED, "need.dispatch"
        ),
        Transition("accept", frozenset({S.DISPATCHED}), S.ACCEPTED, "need.accept"),
        # A department that cannot take it sends it back to the dispatch queue with a reason.
        Transition("decline", frozenset({S.DISPATCHED}), S.SUBMITTED, "need.decline"),
        Transition("start", frozenset({S.ACCEPTED}), S.IN_PROGRESS, "need.start"),
        Transition("resolve", frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.RESOLVED, "need.resolve"),
        Transition("rate", frozenset({S.RESOLVED}), S.CLOSED, "need.rate"),
        # Within REOPEN_WINDOW of the resolution, back to the same department.
        Transition("reopen", frozenset({S.RESOLVED, S.CLOSED}), S.IN_PROGRESS, "need.reopen"),
        # The worker cancels before a department has accepted.
        Transition("cancel", frozenset({S.SUBMITTED, S.DISPATCHED}), S.CANCELLED, "need.cancel"),
    )
}

# Every (from, to) pair an event may record, creation included.
ALLOWED_MOVES: frozenset[tuple[str, str]] = frozenset(
    {("", S.SUBMITTED)} | {(s, t.target) for t in TRANSITIONS.values() for s in t.sources}
)

ACTION_LABELS = {
    SUBMIT: _("提交诉求"),
    "dispatch": _("派单"),
    "accept": _("接单"),
    "decline": _("退回"),
    "start": _("开始办理"),
    "resolve": _("办结"),
    "rate": _("评价"),
    "reopen": _("重新办理"),
    "cancel": _("撤销"),
}


def transition_get(action: str, need: Need, now: datetime) -> Transition:
    """The move `action` from the need's current state, or `Conflict` naming that state."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Conflict(f"Unknown action {action!r}.", code="need_unknown_action")
    if need.state not in transition.sources:
        raise Conflict(
            f"This need is {need.state}; {action} is allowed only from "
            f"{', '.join(sorted(transition.sources))}.",
            code="need_illegal_transition",
            extra={
                "state": need.state,
                "action": action,
                "allowed_from": sorted(transition.sources),
            },
        )
    if action == "reopen" and (need.resolved_at is None or now - need.resolved_at > REOPEN_WINDOW):
        raise Conflict(
            f"This need is {need.state} and was resolved more than 7 days ago; it cannot be "
            "reopened.",
            code="need_reopen_window_passed",
            extra={"state": need.state, "action": action},
        )
    return transition


def is_possible(action: str, need: Need, now: datetime) -> bool:
    try:
        transition_get(action, need, now)
    except Conflict:
        return False
    return True
