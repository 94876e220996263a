"""Every write of the volunteering app: activities and their states (`activities`), sign-ups
with a waiting list (`signups`), attendance and confirmed hours (`attendance`)."""

from .activities import (
    ACTIVITY_FIELDS,
    AUTO_FINISH_AFTER,
    activities_finish_due,
    activity_cancel,
    activity_create,
    activity_finish,
    activity_publish,
    activity_recommendation_send,
    activity_update,
    volunteers_matching,
)
from .attendance import (
    attendance_arrive,
    attendance_confirm,
    attendance_leave,
    attendance_method,
    attendance_record,
    overlap_minutes,
)
from .signups import signup_cancel, signup_create

__all__ = [
    "ACTIVITY_FIELDS",
    "AUTO_FINISH_AFTER",
    "activities_finish_due",
    "activity_cancel",
    "activity_create",
    "activity_finish",
    "activity_publish",
    "activity_recommendation_send",
    "activity_update",
    "attendance_arrive",
    "attendance_confirm",
    "attendance_leave",
    "attendance_method",
    "attendance_record",
    "overlap_minutes",
    "signup_cancel",
    "signup_create",
    "volunteers_matching",
]
