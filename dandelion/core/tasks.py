"""Background work of the shared kernel: enqueueing on commit. (Event delivery is the task
`core.events.event_deliver`.)"""

from typing import Any

from django.db import transaction


def enqueue_on_commit(task_, /, **kwargs: Any) -> None:
    """Enqueue `task_` once the current transaction commits (at once outside a transaction), so
    a worker never looks for rows that are not committed yet, and a rollback sends nothing."""
    transaction.on_commit(lambda: task_.enqueue(**kwargs), robust=True)
