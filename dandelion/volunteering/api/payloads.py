"""Rows as the volunteering API sends them."""

from ..models import Activity, Attendance, SignUp


def activity_payload(activity: Activity, my_signup: str | None = None) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "organisation": {"id": activity.organisation_id, "name": activity.organisation.name},
        "place": {
            "station_id": activity.station_id,
            "station_name": activity.station.name if activity.station_id else None,
            "address": activity.address,
            "lat": activity.lat,
            "lng": activity.lng,
            "region_code": activity.region.code,
        },
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
        "confirmed": getattr(activity, "confirmed_count", 0),
        "waiting": getattr(activity, "waiting_count", 0),
        "skills": activity.skills,
        "points_per_hour": activity.points_per_hour,
        "visibility": activity.visibility,
        "status": activity.status,
        "status_label": str(activity.get_status_display()),
        "distance_m": getattr(activity, "distance_m", None),
        "my_signup": my_signup,
    }


def attendance_payload(attendance: Attendance) -> dict:
    return {
        "id": attendance.pk,
        "activity_id": attendance.activity_id,
        "user": {"id": attendance.user_id, "name": str(attendance.user)},
        "state": attendance.state,
        "arrived_at": attendance.arrived_at,
        "left_at": attendance.left_at,
        "computed_minutes": attendance.computed_minutes,
        "credited_minutes": attendance.credited_minutes,
        "adjust_reason": attendance.adjust_reason,
        "confirmed_at": attendance.confirmed_at,
    }


def signup_payload(row: SignUp) -> dict:
    return {
        "id": row.pk,
        "activity_id": row.activity_id,
        "activity_title": row.activity.title,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "created_at": row.created_at,
        "promoted_at": row.promoted_at,
    }


def roster_row_payload(signup: SignUp) -> dict:
    attendance = next(iter(signup.attendances.all()), None)
    return {
        "signup_id": signup.pk,
        "user": {"id": signup.user_id, "name": str(signup.user)},
        "status": signup.status,
        "attendance": attendance_payload(attendance) if attendance else None,
    }
