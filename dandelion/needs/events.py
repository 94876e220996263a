"""Events the needs app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class NeedResolved(Event):
    """A department resolved a need (办结); `occurred_at` is the resolution."""

    name = "needs.need_resolved"

    need_id: int
    worker_id: int
    department_id: int | None
    region_code: str
    round: int


@declare
class NeedRated(Event):
    """The worker rated how their need was handled (评单); `occurred_at` is the rating."""

    name = "needs.need_rated"

    need_id: int
    worker_id: int
    stars: int
    region_code: str
