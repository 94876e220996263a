"""Background tasks of the shared kernel."""

from typing import Any

from django.db import transaction
from django_tasks import task

from . import events


@task()
def event_deliver(*, name: str, payload: dict[str, Any]) -> None:
    events.deliver(name, payload)


def enqueue_on_commit(task_, /, **kwargs: Any) -> None:
    """Enqueue `task_` once the current transaction commits (at once outside a transaction), so
    a worker never looks for rows that are not committed yet, and a rollback sends nothing."""
    transaction.on_commit(lambda: task_.enqueue(**kwargs), robust=True)
