"""Request and response schemas of the volunteering API."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

ActivityStatus = Literal["draft", "published", "finished", "cancelled"]


class ActivityPlaceOut(Schema):
    station_id: int | None
    station_name: str | None
    address: str
    lat: float
    lng: float
    region_code: str


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    organisation: dict = Field(description="{id, name}")
    place: ActivityPlaceOut
    starts_at: datetime
    ends_at: datetime
    capacity: int
    confirmed: int
    waiting: int
    skills: list[str]
    points_per_hour: int
    visibility: str
    status: str
    status_label: str
    distance_m: float | None = None
    my_signup: str | None = Field(None, description="confirmed, waiting or none")


class ActivityNearFilters(Schema):
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class ActivityIn(Schema):
    organisation_id: int
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=4000)
    station_id: int | None = None
    address: str = Field("", max_length=255)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    region_code: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$")
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=10000)
    skills: list[str] = Field(default_factory=list, max_length=10)
    points_per_hour: int = Field(10, ge=0, le=1000)
    visibility: Literal["public", "team"] = "public"


class ActivityStateIn(Schema):
    action: Literal["publish", "cancel", "finish"]
    reason: str = Field("", max_length=200)


class ActivityFilters(Schema):
    status: ActivityStatus | None = None


class SignUpOut(Schema):
    id: int
    activity_id: int
    activity_title: str
    status: str
    status_label: str
    created_at: datetime
    promoted_at: datetime | None


class DeviceLocationIn(Schema):
    """Where the device is, when it can tell (the browser's geolocation): WGS-84."""

    lat: float | None = Field(None, ge=-90, le=90, description="The device's latitude (WGS-84)")
    lng: float | None = Field(None, ge=-180, le=180, description="The device's longitude (WGS-84)")
    accuracy_m: float | None = Field(
        None, ge=0, le=1_000_000, description="The location's accuracy in metres, as reported"
    )


class AttendIn(DeviceLocationIn):
    action: Literal["arrive", "leave"] = Field(description="arrive (签到) or leave (签退)")
    code: UUID | None = Field(None, description="The activity's attendance code (from its QR)")
    station_code: str | None = Field(
        None,
        max_length=64,
        description="The visit code of the activity's station (from its poster's QR: /v/<code>)",
    )


class AttendanceOut(Schema):
    id: int
    activity_id: int
    user: dict = Field(description="{id, name}")
    state: str
    arrived_at: datetime
    left_at: datetime | None
    computed_minutes: int | None
    credited_minutes: int | None
    adjust_reason: str
    confirmed_at: datetime | None


class RosterRowOut(Schema):
    signup_id: int
    user: dict
    status: str
    attendance: AttendanceOut | None


class AttendanceRecordIn(Schema):
    user_id: int
    arrived_at: datetime
    left_at: datetime | None = None


class AttendanceConfirmIn(Schema):
    minutes: int | None = Field(None, ge=0, description="Set only to credit another figure")
    reason: str = Field("", max_length=200)


class HoursRowOut(Schema):
    key: str
    name: str
    minutes: int
    people: int
    activities: int


class MyHoursOut(Schema):
    total_minutes: int
    items: list[AttendanceOut]


class VolunteeringVisitIn(DeviceLocationIn):
    code: str = Field(
        min_length=1,
        max_length=64,
        description="The station's visit code, from its poster's QR code (/v/<code>)",
    )


class VolunteeringVisitOut(Schema):
    id: int
    station_id: int
    day: str
    visited_at: datetime
    created: bool
    verified: bool = Field(description="The device's location put the worker at the station")
    flagged: bool = Field(description="Held for review: too far from the worker's other visits")
