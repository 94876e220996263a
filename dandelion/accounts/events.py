"""Events the accounts app publishes (`core.events`)."""

from datetime import datetime

from dandelion.core.events import Event, declare


@declare
class WorkerRegistered(Event):
    """A worker registered (报到, `services.worker_register`); `occurred_at` is the
    registration, `region_code` the street they mainly work in."""

    name = "accounts.worker_registered"

    user_id: int
    region_code: str
    occupation: str


@declare
class WorkerProfileChanged(Event):
    """A registered worker changed their work street or their occupation
    (`services.worker_profile_update`; nothing is announced for other fields). `changed` names
    which (`work_region`, `occupation`); `previous_region_code` is the street they left (None
    when they did not move). `occurred_at` is the change, `registered_at` their registration
    (what the figures date a worker by)."""

    name = "accounts.worker_profile_changed"

    user_id: int
    region_code: str
    previous_region_code: str | None = None
    occupation: str
    changed: tuple[str, ...]
    registered_at: datetime
