"""The reports API's schemas: what it reads and answers."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from dandelion.core.geo import bbox_parse

StatusCode = Literal[
    "for_triage",
    "open",
    "investigating",
    "action_scheduled",
    "in_progress",
    "fixed",
    "closed",
    "duplicate",
    "no_further_action",
    "internal_referral",
    "reopen",
]
REGION_PATTERN = r"^\d{6}(\d{3}){0,2}$"


class ReportRefOut(Schema):
    code: str
    name: str


class ReportCategoryRefOut(ReportRefOut):
    icon: str


class ReportAttributeValueOut(Schema):
    key: str
    name: str


class ReportAttributeOut(Schema):
    code: str
    description: str
    datatype: str
    datatype_description: str
    required: bool
    order: int
    values: list[ReportAttributeValueOut]


class ReportCategoryOut(Schema):
    code: str
    name: str = Field(description="Name in the request's language")
    name_zh: str
    name_en: str
    description: str
    group: str
    icon: str
    attributes: list[ReportAttributeOut]


class ReportPhotoOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int


class ReportUpdateOut(Schema):
    id: int
    status: str
    status_label: str
    from_status: str
    note: str = Field(description="The public note of the change")
    by: str = Field(description="reporter, staff, system or client")
    created_at: datetime


class ReportOut(Schema):
    id: int
    category: ReportCategoryRefOut
    description: str
    lat: float = Field(description="WGS-84")
    lng: float = Field(description="WGS-84")
    address: str
    region: ReportRefOut
    status: str
    status_label: str
    open311_status: Literal["open", "closed"]
    status_note: str
    agency: str = Field(description="The organisation handling it")
    duplicate_of: int | None
    support_count: int
    photos: list[ReportPhotoOut]
    created_at: datetime
    updated_at: datetime
    fixed_at: datetime | None
    expected_at: datetime | None


class ReportDetailOut(ReportOut):
    updates: list[ReportUpdateOut]


class NearbyReportOut(ReportOut):
    distance_m: float


class MyReportOut(ReportDetailOut):
    mine: bool = Field(description="Reported by me (else: I support it)")


class ReportOrganisationRefOut(Schema):
    id: int
    name: str


class ReportReporterOut(Schema):
    phone: str = Field(description="Masked (138****5678)")


class StaffReportEventOut(ReportUpdateOut):
    kind: str
    organisation: str
    actor: str = Field(description="The staff member's name; empty for the reporter")


class StaffReportOut(ReportOut):
    organisation: ReportOrganisationRefOut | None
    source: str
    source_label: str
    attributes: dict[str, Any]
    media_url: str
    accepted_at: datetime | None
    next_statuses: list[str]
    reporter: ReportReporterOut | None = Field(
        description="Only for roles that contact reporters; the phone is masked"
    )


class StaffReportDetailOut(StaffReportOut):
    events: list[StaffReportEventOut]


class ReportIn(Schema):
    category: str = Field(..., max_length=40, description="Category code (service_code)")
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    coord: Literal["wgs84", "gcj02"] = Field("wgs84", description="Datum of lat/lng")
    description: str = Field("", max_length=4000)
    address: str = Field("", max_length=200)


class ReportFilters(Schema):
    bbox: str | None = Field(None, description="min_lng,min_lat,max_lng,max_lat (WGS-84)")
    category: list[str] = Field(default_factory=list, description="Category codes")
    status: list[StatusCode] = Field(default_factory=list)
    region: str | None = Field(None, pattern=REGION_PATTERN, description="Division code")

    @field_validator("bbox")
    @classmethod
    def parse_bbox(cls, value: str | None) -> str | None:
        if value is not None:
            bbox_parse(value)
        return value


class ReportNearbyFilters(Schema):
    category: str = Field(..., max_length=40)
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    coord: Literal["wgs84", "gcj02"] = "wgs84"


class StaffReportFilters(Schema):
    status: list[StatusCode] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    organisation: int | None = None
    region: str | None = Field(None, pattern=REGION_PATTERN)
    unrouted: bool = False
    q: str = Field("", max_length=100)


class ReportStatusIn(Schema):
    status: StatusCode
    note: str = Field(..., max_length=1000, description="Public note shown with the update")
    expected_at: datetime | None = None


class ReportRouteIn(Schema):
    organisation_id: int
    note: str = Field("", max_length=1000)


class ReportDuplicateIn(Schema):
    original_id: int
    note: str = Field("", max_length=1000)


class ReportNoteIn(Schema):
    note: str = Field("", max_length=1000)


class ReportSupportOut(Schema):
    report_id: int
    supported: bool
    created: bool = Field(description="False when this person already supported it")
    support_count: int
