"""API schemas of accounts: `<Entity>In/Out/Patch/Filters`, per STYLE.md."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from dandelion.core.refs import RegionRef, UserRef

Occupation = Literal["delivery_rider", "courier", "ride_hailing_driver", "truck_driver", "other"]
Vehicle = Literal["e_bike", "bicycle", "motorcycle", "car", "walk"]
Platform = Literal[
    "meituan",
    "eleme",
    "sf_express",
    "jd_logistics",
    "didi",
    "huolala",
    "dada",
    "zto",
    "yto",
    "sto",
    "yunda",
    "jt_express",
    "ems",
    "other",
]
RoleName = Literal[
    "region_admin",
    "dispatcher",
    "department_handler",
    "station_manager",
    "organiser",
    "party_officer",
    "auditor",
]
PHONE_FIELD = Field(
    ...,
    max_length=20,
    description="Mainland mobile number, with or without +86",
    examples=["13812345678"],
)


class OtpIn(Schema):
    phone: str = PHONE_FIELD


class OtpOut(Schema):
    sent: bool
    expires_in: int = Field(description="Seconds the code stays valid")
    resend_after: int = Field(description="Seconds before another code may be requested")


class LoginIn(Schema):
    phone: str = PHONE_FIELD
    code: str = Field(..., pattern=r"^\d{6}$", description="The 6-digit code sent by SMS")


class TokenIn(LoginIn):
    name: str = Field("", max_length=100, description="What the token is for, e.g. the app")


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    scope_type: Literal["region", "organisation", "station"]
    scope_id: int
    scope_name: str


class WorkerProfileOut(Schema):
    occupation: str
    occupation_label: str
    platform: str
    platform_label: str
    platform_other: str
    vehicle: Vehicle = Field(description="How the worker gets about: travel times and routes")
    vehicle_label: str
    work_region: RegionRef
    is_volunteer: bool
    skills: list[str]
    real_name: str
    consent_policy_version: str
    consented_at: datetime
    registered_at: datetime


class MeOut(Schema):
    id: int
    display_name: str
    phone: str = Field(description="Masked: 138****5678")
    is_staff: bool = Field(
        description="May open the Django admin; what anyone may do is decided by their roles"
    )
    registered: bool = Field(description="False until the worker registers (在线报到)")
    consent_current: bool = Field(description="False when the policy changed since consenting")
    privacy_policy_version: str = Field(description="The version to accept at registration")
    profile: WorkerProfileOut | None
    roles: list[RoleOut]


class SessionOut(Schema):
    user: MeOut


class SessionStateOut(Schema):
    authenticated: bool
    user: MeOut | None = None


class TokenOut(Schema):
    token: str = Field(description="Shown once; send as `Authorization: Bearer <token>`")
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: datetime
    user: MeOut


class WorkerProfilePatch(Schema):
    """At registration (the first call) occupation, platform, work_region_code and
    accept_policy_version are required; later any subset may be sent."""

    display_name: str | None = Field(None, min_length=1, max_length=30)
    occupation: Occupation | None = None
    platform: Platform | None = None
    platform_other: str | None = Field(None, max_length=100)
    vehicle: Vehicle | None = Field(
        None, description="Default at registration: car for drivers, e_bike for everyone else"
    )
    work_region_code: str | None = Field(
        None, pattern=r"^\d{9}$", description="The street (9-digit division code)"
    )
    is_volunteer: bool | None = None
    skills: list[str] | None = Field(None, max_length=10)
    real_name: str | None = Field(None, max_length=50)
    accept_policy_version: str | None = Field(
        None, max_length=32, description="Consent to this privacy policy version (the current)"
    )


class ChoiceOut(Schema):
    value: str
    label: str


class RegistrationOptionsOut(Schema):
    occupations: list[ChoiceOut]
    platforms: list[ChoiceOut]
    skills: list[str] = Field(description="Suggestions; free text is allowed too")
    streets: list[RegionRef]
    privacy_policy_version: str


class UserOut(Schema):
    id: int
    display_name: str
    phone: str = Field(description="Masked: 138****5678")
    is_staff: bool = Field(
        description="May open the Django admin; what anyone may do is decided by their roles"
    )
    date_joined: datetime
    occupation: str | None
    platform_label: str | None
    work_region: RegionRef | None
    is_volunteer: bool | None


class UserFilters(Schema):
    q: str | None = Field(None, max_length=50, description="Text in the display name")
    role: RoleName | None = None


class PhoneOut(Schema):
    user_id: int
    phone: str = Field(description="The full number; this read is audited")


class RoleAssignmentIn(Schema):
    user_id: int
    role: RoleName
    region_code: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$")
    organisation_id: int | None = None
    station_id: int | None = None


class RoleAssignmentOut(Schema):
    id: int
    user: UserRef
    role: str
    role_label: str
    scope_type: Literal["region", "organisation", "station"]
    scope_id: int
    scope_name: str
    created_at: datetime


class RoleAssignmentFilters(Schema):
    user_id: int | None = None
    role: RoleName | None = None


class PersonRef(Schema):
    id: int
    display_name: str


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor: PersonRef | None
    action: str
    subject: PersonRef | None = Field(description="Hidden for party-membership events")
    target_type: str
    target_id: str
    field: str
    category: str
    region_code: str


class AuditEventFilters(Schema):
    subject_id: int | None = None
    action: str | None = Field(None, max_length=64)
