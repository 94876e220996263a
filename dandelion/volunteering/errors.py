"""The volunteering app's error codes (what clients see in a problem's `code`). Shared concepts
use `core.errors.CoreError`: no such activity, sign-up or attendance is `not_found` (with the
entity in `extra`), a move the state does not allow is `illegal_transition`, a missing reason
is `required`."""

from dandelion.core.errors import ErrorCode


class VolunteeringError(ErrorCode):
    # Publishing and changing activities
    INVALID_SKILLS = "invalid_skills"
    PLACE_REQUIRED = "place_required"
    INVALID_WINDOW = "invalid_window"
    ACTIVITY_PUBLISHED = "activity_published"
    CAPACITY_SHRINKS = "capacity_shrinks"
    ACTIVITY_STARTED = "activity_started"
    ACTIVITY_NOT_STARTED = "activity_not_started"
    ACTIVITY_CLOSED = "activity_closed"
    # Attendance (签到) and hours
    NOT_SIGNED_UP = "not_signed_up"
    SIGNUP_WAITING = "signup_waiting"
    ATTENDANCE_NOT_OPEN = "attendance_not_open"
    ACTIVITY_ENDED = "activity_ended"
    NOT_ARRIVED = "not_arrived"
    LEAVING_CLOSED = "leaving_closed"
    NOT_LEFT = "not_left"
    INVALID_ATTENDANCE_CODE = "invalid_attendance_code"
    INVALID_TIMES = "invalid_times"
    INVALID_MINUTES = "invalid_minutes"
    # Queries
    INVALID_POINT = "invalid_point"
