"""Domain events: one app says what happened, others react, and neither imports the other's
internals.

Each event is a declared payload type owned by the publishing app (`<app>/events.py`): a
subclass of `Event` with a dotted `name` (`"reports.report_accepted"`), typed fields, and
`occurred_at`, the event's own time. `publish(SomeEvent(...))` validates it (pydantic, at
construction) inside the producer's transaction and hands it over only when that transaction
commits, as a background task, so a rolled-back change announces nothing and a slow consumer
never holds the producer's request. Consumers subscribe to the type in their
`AppConfig.ready()` and receive a typed event; they must be idempotent (the points ledger keys
every award by its source), and count anything by day on `occurred_at`, never on the clock of
the task that delivers it, because a task may run again later, after a crash or past midnight.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from django_tasks import task
from pydantic import BaseModel, ConfigDict

from .tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


class Event(BaseModel):
    """Base of every declared event payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str]
    occurred_at: datetime


Handler = Callable[[Any], None]

_types: dict[str, type[Event]] = {}
_handlers: dict[str, list[Handler]] = defaultdict(list)


def declare(event_type: type[Event]) -> type[Event]:
    """Class decorator: register an event type under its `name` (once per name)."""
    name = event_type.name
    known = _types.get(name)
    if known is not None and known is not event_type:
        raise ValueError(f"Event {name} is declared twice.")
    _types[name] = event_type
    return event_type


def event_type(name: str) -> type[Event]:
    return _types[name]


def subscribe(event_type_: type[Event], handler: Handler) -> None:
    """Call `handler(event)` for every committed event of `event_type_`."""
    if _types.get(event_type_.name) is not event_type_:
        raise ValueError(f"Event {event_type_.name} is not declared.")
    if handler not in _handlers[event_type_.name]:
        _handlers[event_type_.name].append(handler)


def handlers_for(name: str) -> list[Handler]:
    return list(_handlers.get(name, ()))


def publish(event: Event) -> None:
    """Announce `event` once the current transaction commits."""
    if _types.get(event.name) is not type(event):
        raise ValueError(f"Event {event.name} is not declared.")
    enqueue_on_commit(event_deliver, name=event.name, payload=event.model_dump(mode="json"))


def deliver(name: str, payload: dict[str, Any]) -> None:
    """Validate the payload as its declared type and run every handler of it. One failing
    handler does not stop the others; the failure is logged and re-raised at the end so the
    task is marked failed and can be retried."""
    event = _types[name].model_validate(payload)
    failures: list[BaseException] = []
    for handler in handlers_for(name):
        try:
            handler(event)
        except Exception as exc:
            logger.exception("event %s: handler %r failed", name, handler)
            failures.append(exc)
    if failures:
        raise failures[0]


@task()
def event_deliver(*, name: str, payload: dict[str, Any]) -> None:
    deliver(name, payload)
