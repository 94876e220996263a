"""Events the stations app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class VisitRecorded(Event):
    """A worker's first visit (打卡) of the day at a station; `occurred_at` is when they were
    there."""

    name = "stations.visit_recorded"

    visit_id: int
    user_id: int
    station_id: int
    station_name: str
    region_code: str
