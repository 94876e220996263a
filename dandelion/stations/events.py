"""Events the stations app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class VisitRecorded(Event):
    """A worker's first visit (打卡) of the day at a station; `occurred_at` is when they were
    there. `verified`: the device's location put them at the station. `flagged`: held for
    review (too far from their other visits for the time between); a reviewer who accepts it
    announces it again, unflagged."""

    name = "stations.visit_recorded"

    visit_id: int
    user_id: int
    station_id: int
    station_name: str
    region_code: str
    verified: bool
    flagged: bool = False
