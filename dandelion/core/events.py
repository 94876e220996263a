"""Domain events: one app says what happened, others react, and neither imports the other.

An event has a dotted name (`"reports.report_accepted"`) and a JSON-ready payload. `publish`
runs inside the producer's transaction and hands the event over only when that transaction
commits, as a background task (`core.tasks.event_deliver`), so a rolled-back change announces
nothing and a slow consumer never holds the producer's request. Consumers subscribe in their
`AppConfig.ready()`; they must be idempotent (the points ledger keys every award by its source),
because a task may run again after a crash.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]

_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    """Call `handler(payload)` for every committed event called `name`."""
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def handlers_for(name: str) -> list[Handler]:
    return list(_handlers.get(name, ()))


def publish(name: str, payload: dict[str, Any]) -> None:
    """Announce `name` with `payload` once the current transaction commits."""
    from .tasks import enqueue_on_commit, event_deliver

    enqueue_on_commit(event_deliver, name=name, payload=payload)


def deliver(name: str, payload: dict[str, Any]) -> None:
    """Run every handler of `name`. One failing handler does not stop the others; the failure
    is logged and re-raised at the end so the task is marked failed and can be retried."""
    failures: list[BaseException] = []
    for handler in handlers_for(name):
        try:
            handler(payload)
        except Exception as exc:
            logger.exception("event %s: handler %r failed", name, handler)
            failures.append(exc)
    if failures:
        raise failures[0]
