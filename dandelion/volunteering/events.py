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


@declare
class ActivityPublished(Event):
    """An organiser published an activity: sign-ups open (`services.activity_publish`);
    `occurred_at` is the publication. The volunteers it suits are told (为我推荐), by a
    subscriber (`handlers.activity_recommend`)."""

    name = "volunteering.activity_published"

    activity_id: int
    organisation_id: int
    region_code: str
    title: str
    starts_at: datetime
    ends_at: datetime


@declare
class ActivityCancelled(Event):
    """An organiser cancelled an activity, a draft or a published one
    (`services.activity_cancel`); `occurred_at` is the cancellation, `previous_status` what the
    activity was."""

    name = "volunteering.activity_cancelled"

    activity_id: int
    organisation_id: int
    region_code: str
    previous_status: str
    starts_at: datetime
    ends_at: datetime


@declare
class ActivityFinished(Event):
    """A published activity finished: its organiser said so, or the periodic job did a while
    after its end (`services.activity_finish`, `services.activities_finish_due`); `occurred_at`
    is then."""

    name = "volunteering.activity_finished"

    activity_id: int
    organisation_id: int
    region_code: str
    starts_at: datetime
    ends_at: datetime
