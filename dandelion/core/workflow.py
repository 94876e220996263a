"""Workflows: the one state-machine mechanism every app uses.

A workflow is a declared table of transitions, `(from states, action) → to`, each naming the
actor roles that may take it (`worker`, `dispatcher`, `system`…) and, for people, the
`core.permissions` action they must hold on the row. Nothing else moves a state: `transition`
locks the row, checks the actor and the state, moves it, and writes the event row in the same
transaction, with the same columns for every workflow (`TransitionEvent`). A move the state
does not allow is the one 409 (`illegal_transition`) that names the current state; an actor the
table does not name is a 403 (`actor_not_allowed`).

Side effects (notifications, published events) belong to the calling service, after the move,
scheduled on commit.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, CoreError, NotFound, PermissionDenied
from .models import TransitionEvent  # noqa: F401  (re-exported: the event columns)
from .permissions import require

SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    # The core.permissions action a person must hold on the row; None for moves the table
    # reserves to the system or to a role the service has already established.
    permission: str | None = None

    def __init__(
        self,
        action: str,
        sources: Iterable[str],
        target: str,
        *,
        actors: Iterable[str],
        permission: str | None = None,
    ):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "actors", frozenset(actors))
        object.__setattr__(self, "permission", permission)


@dataclass
class Workflow:
    """The table of one entity's moves. `entity` names it in errors (`need`, `wish`…)."""

    entity: str
    transitions: Iterable[Transition]
    state_field: str = "state"
    by_action: dict[str, list[Transition]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.transitions = tuple(self.transitions)
        self.by_action = {}
        for t in self.transitions:
            for other in self.by_action.get(t.action, ()):
                if other.sources & t.sources:
                    raise ValueError(f"{self.entity}: {t.action} is declared twice from a state")
            self.by_action.setdefault(t.action, []).append(t)

    @property
    def actions(self) -> list[str]:
        return list(self.by_action)

    def find(self, action: str, state: str) -> Transition | None:
        for t in self.by_action.get(action, ()):
            if state in t.sources:
                return t
        return None

    def sources_of(self, action: str) -> list[str]:
        return sorted({s for t in self.by_action.get(action, ()) for s in t.sources})

    def moves(self) -> frozenset[tuple[str, str]]:
        """Every (from, to) pair a transition may record."""
        return frozenset((s, t.target) for t in self.transitions for s in t.sources)

    def is_possible(self, action: str, state: str, actor_role: str | None = None) -> bool:
        t = self.find(action, state)
        return t is not None and (actor_role is None or actor_role in t.actors)

    def actions_for(self, state: str, actor_role: str) -> list[str]:
        """The actions `actor_role` may take from `state`, in the table's order."""
        return [a for a in self.by_action if self.is_possible(a, state, actor_role)]

    def check(self, obj: Any, action: str, *, actor, actor_role: str) -> Transition:
        """The transition `action` takes `obj` through as `actor` in `actor_role`, or the
        domain error saying why not: unknown action (409), an actor the table does not name
        or a person without the permission on this row (403), a state that does not allow it
        (409, naming the state)."""
        if action not in self.by_action:
            raise Conflict(
                _("未知的操作：%(action)s。") % {"action": action},
                code=CoreError.UNKNOWN_ACTION,
                extra={"entity": self.entity, "action": action},
            )
        state = getattr(obj, self.state_field)
        if not any(actor_role in t.actors for t in self.by_action[action]):
            raise PermissionDenied(
                _("你不能进行这个操作。"),
                code=CoreError.ACTOR_NOT_ALLOWED,
                extra={"entity": self.entity, "action": action, "actor_role": actor_role},
            )
        transition = self.find(action, state)
        permission = transition.permission if transition else self.by_action[action][0].permission
        if actor_role != SYSTEM and permission is not None:
            require(actor, permission, obj)
        if transition is None:
            raise Conflict(
                _("当前状态（%(state)s）不允许这个操作，请刷新后重试。") % {"state": state},
                code=CoreError.ILLEGAL_TRANSITION,
                extra={
                    "entity": self.entity,
                    "state": state,
                    "action": action,
                    "allowed_from": self.sources_of(action),
                },
            )
        if actor_role not in transition.actors:
            raise PermissionDenied(
                _("你不能进行这个操作。"),
                code=CoreError.ACTOR_NOT_ALLOWED,
                extra={"entity": self.entity, "action": action, "actor_role": actor_role},
            )
        return transition


@dataclass(frozen=True)
class Moved:
    obj: Any
    event: Any
    transition: Transition
    source: str


def transition(
    workflow: Workflow,
    obj: models.Model,
    action: str,
    *,
    actor,
    actor_role: str,
    event_model: type[models.Model],
    event_fk: str,
    note: str = "",
    at: datetime | None = None,
    guard: Callable[[Any, Transition], None] | None = None,
    changes: Callable[[Any, Transition], Iterable[str]] | None = None,
    event_fields: dict[str, Any] | None = None,
    queryset: models.QuerySet | None = None,
) -> Moved:
    """Lock `obj`'s row, check `action` by `actor` in `actor_role`, move it, write the event.

    `guard(locked, transition)` raises for a workflow's own rules (a reopen window); `changes`
    sets the other fields the move changes and returns their names; `event_fields` are the
    event row's own columns beyond the common ones. Must run inside a transaction."""
    at = at or timezone.now()
    model = type(obj)
    base = queryset if queryset is not None else model._default_manager.all()
    locked = base.select_for_update(of=("self",)).filter(pk=obj.pk).first()
    if locked is None:
        raise NotFound(
            _("没有这项内容。"), code=CoreError.NOT_FOUND, extra={"entity": workflow.entity}
        )
    move = workflow.check(locked, action, actor=actor, actor_role=actor_role)
    if guard is not None:
        guard(locked, move)
    source = getattr(locked, workflow.state_field)
    setattr(locked, workflow.state_field, move.target)
    fields = {workflow.state_field, *(changes(locked, move) if changes else ())}
    locked.save(update_fields=sorted(fields))
    event = event_model._default_manager.create(
        **{event_fk: locked},
        action=action,
        from_state=source,
        to_state=move.target,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role,
        note=note,
        created_at=at,
        **(event_fields or {}),
    )
    return Moved(obj=locked, event=event, transition=move, source=source)
