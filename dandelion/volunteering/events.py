"""Events the volunteering app publishes (`core.events`)."""

from datetime import datetime

from dandelion.core.events import Event, declare


@declare
class HoursConfirmed(Event):
    """An organiser confirmed a volunteer's hours at an activity; `occurred_at` is the
    confirmation, `ended_at` the end of the activity the hours were served in (what earning
    caps count by)."""

    name = "volunteering.hours_confirmed"

    attendance_id: int
    activity_id: int
    worker_id: int
    minutes: int
    points_per_hour: int | None
    region_code: str
    title: str
    ended_at: datetime
