"""Hooks: in-process notices for signals too frequent to be events.

An event (`core.events`) is validated, queued on commit and delivered as a task: right for a
visit or a resolved need, far too dear for every nearby search. A hook calls its receivers at
once, in the caller's thread, and a receiver's failure is logged, never raised to the caller.
So use a hook only where losing a notice is acceptable and every receiver costs microseconds
(a cache counter, not a query per call).

Hooks are declared here by name with the keyword arguments they carry; like events they carry
their own time (`occurred_at`). The sending app calls `send(name, **arguments)`; receivers
`connect(name, receiver)` in their `AppConfig.ready()`, so neither app imports the other.

- `stations.nearby_searched`, sent by `GET /api/v1/stations/nearby` after a valid search:
  `cell`, the H3 resolution-8 cell (string) of the searched point, never the point itself;
  `occurred_at`.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger(__name__)

NEARBY_SEARCHED = "stations.nearby_searched"

HOOKS: dict[str, frozenset[str]] = {
    NEARBY_SEARCHED: frozenset({"cell", "occurred_at"}),
}

_receivers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def connect(name: str, receiver: Callable[..., None]) -> None:
    if name not in HOOKS:
        raise ValueError(f"Hook {name} is not declared.")
    if receiver not in _receivers[name]:
        _receivers[name].append(receiver)


def disconnect(name: str, receiver: Callable[..., None]) -> None:
    if receiver in _receivers.get(name, ()):
        _receivers[name].remove(receiver)


def has_receivers(name: str) -> bool:
    """Whether anyone listens: a sender may skip computing the arguments when nobody does."""
    return bool(_receivers.get(name))


def send(name: str, **arguments) -> None:
    receivers = _receivers.get(name)
    if not receivers:
        return
    if arguments.keys() != HOOKS[name]:
        raise TypeError(f"Hook {name} takes {sorted(HOOKS[name])}, not {sorted(arguments)}.")
    for receiver in receivers:
        try:
            receiver(**arguments)
        except Exception:
            logger.exception("hook %s: receiver %r failed", name, receiver)
