"""Report endpoints: submit (multipart, with photos), the public list and detail, nearby open
reports for the duplicate check, "me too", the reporter's confirm/reopen, and the staff queue
with status changes, routing and duplicate merging."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from dandelion.core.geo import to_wgs84, valid_wgs84
from dandelion.core.pagination import Paged, SerialisedPage

from . import selectors, services
from .models import Report
from .payloads import (
    category_payload,
    mark_contactable,
    report_payload,
    staff_report_payload,
)

router = Router(tags=["reports"])

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


# ---- schemas ----


class RefOut(Schema):
    code: str
    name: str


class CategoryRefOut(RefOut):
    icon: str


class AttributeValueOut(Schema):
    key: str
    name: str


class AttributeOut(Schema):
    code: str
    description: str
    datatype: str
    datatype_description: str
    required: bool
    order: int
    values: list[AttributeValueOut]


class CategoryOut(Schema):
    code: str
    name: str = Field(description="Name in the request's language")
    name_zh: str
    name_en: str
    description: str
    group: str
    icon: str
    attributes: list[AttributeOut]


class PhotoOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int


class UpdateOut(Schema):
    id: int
    status: str
    status_label: str
    from_status: str
    note: str = Field(description="The public note of the change")
    by: str = Field(description="reporter, staff, system or client")
    created_at: datetime


class ReportOut(Schema):
    id: int
    category: CategoryRefOut
    description: str
    lat: float = Field(description="WGS-84")
    lng: float = Field(description="WGS-84")
    address: str
    region: RefOut
    status: str
    status_label: str
    open311_status: Literal["open", "closed"]
    status_note: str
    agency: str = Field(description="The organisation handling it")
    duplicate_of: int | None
    support_count: int
    photos: list[PhotoOut]
    created_at: datetime
    updated_at: datetime
    fixed_at: datetime | None
    expected_at: datetime | None


class ReportDetailOut(ReportOut):
    updates: list[UpdateOut]


class NearbyReportOut(ReportOut):
    distance_m: float


class MyReportOut(ReportDetailOut):
    mine: bool = Field(description="Reported by me (else: I support it)")


class OrganisationRefOut(Schema):
    id: int
    name: str


class ReporterOut(Schema):
    phone: str = Field(description="Masked (138****5678)")


class StaffEventOut(UpdateOut):
    kind: str
    organisation: str
    actor: str = Field(description="The staff member's name; empty for the reporter")


class StaffReportOut(ReportOut):
    organisation: OrganisationRefOut | None
    source: str
    source_label: str
    attributes: dict[str, Any]
    media_url: str
    accepted_at: datetime | None
    next_statuses: list[str]
    reporter: ReporterOut | None = Field(
        description="Only for roles that contact reporters; the phone is masked"
    )


class StaffReportDetailOut(StaffReportOut):
    events: list[StaffEventOut]


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


class NearbyFilters(Schema):
    category: str = Field(..., max_length=40)
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    coord: Literal["wgs84", "gcj02"] = "wgs84"


class StaffFilters(Schema):
    status: list[StatusCode] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    organisation: int | None = None
    region: str | None = Field(None, pattern=REGION_PATTERN)
    unrouted: bool = False
    q: str = Field("", max_length=100)


class StatusIn(Schema):
    status: StatusCode
    note: str = Field(..., max_length=1000, description="Public note shown with the update")
    expected_at: datetime | None = None


class RouteIn(Schema):
    organisation_id: int
    note: str = Field("", max_length=1000)


class DuplicateIn(Schema):
    original_id: int
    note: str = Field("", max_length=1000)


class NoteIn(Schema):
    note: str = Field("", max_length=1000)


class SupportOut(Schema):
    report_id: int
    supported: bool
    created: bool = Field(description="False when this person already supported it")
    support_count: int


def bbox_parse(value: str) -> tuple[float, float, float, float]:
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in value.split(","))
    except ValueError:
        raise ValueError("bbox must be four numbers: min_lng,min_lat,max_lng,max_lat") from None
    if not (valid_wgs84(min_lat, min_lng) and valid_wgs84(max_lat, max_lng)) or min_lat > max_lat:
        raise ValueError("bbox must be a WGS-84 box with min_lat <= max_lat")
    return min_lng, min_lat, max_lng, max_lat


def attributes_from_post(post) -> dict:
    """`attribute[code]=value` form fields (Open311's spelling), lists for repeated keys."""
    answers = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            values = post.getlist(key)
            answers[key[10:-1]] = values if len(values) > 1 else values[0]
    return answers


# ---- public ----


@router.get(
    "/report-categories",
    response=list[CategoryOut],
    operation_id="report_categories_list",
    summary="Report categories offered at a place or in a region",
    auth=None,
)
def report_categories_list(
    request: HttpRequest,
    region: str | None = Query(None, pattern=REGION_PATTERN),
    lat: float | None = Query(None, ge=-90, le=90),
    lng: float | None = Query(None, ge=-180, le=180),
):
    if lat is not None and lng is not None:
        categories = selectors.categories_for_point(lat=lat, lng=lng)
    elif region:
        from dandelion.regions.selectors import region_get

        categories = selectors.categories_for_region(region=region_get(code=region))
    else:
        categories = selectors.category_list()
    return [category_payload(c) for c in categories]


@router.get(
    "/reports",
    response=list[ReportOut],
    operation_id="reports_list",
    summary="Reports (public): filter by box, category, status and region",
    auth=None,
)
@paginate(Paged)
def reports_list(request: HttpRequest, filters: Query[ReportFilters]):
    qs = selectors.report_list_public(
        bbox=bbox_parse(filters.bbox) if filters.bbox else None,
        category_codes=filters.category,
        statuses=list(filters.status),
        region_code=filters.region,
    )
    return SerialisedPage(qs, lambda r: report_payload(r, request))


@router.get(
    "/reports/nearby-open",
    response=list[NearbyReportOut],
    operation_id="reports_nearby_open",
    summary="Open reports of a category within 50 m from the last 7 days (duplicate check)",
    auth=None,
)
def reports_nearby_open(request: HttpRequest, filters: Query[NearbyFilters]):
    lat, lng = to_wgs84(filters.lat, filters.lng, filters.coord)
    # Codes are unique within a city only: the category is the one of the point's city.
    city_code = selectors.region_for_point(lat=lat, lng=lng).city_code
    category = selectors.category_get(code=filters.category, city_code=city_code)
    hits = selectors.reports_nearby_open(category=category, lat=lat, lng=lng)
    return [report_payload(r, request) for r in hits]


@router.get(
    "/reports/{int:report_id}",
    response=ReportDetailOut,
    operation_id="reports_get",
    summary="One report with its public updates",
    auth=None,
)
def reports_get(request: HttpRequest, report_id: int):
    return report_payload(selectors.report_get(report_id=report_id), request)


# ---- workers ----


@router.post(
    "/reports",
    response={201: ReportDetailOut},
    operation_id="reports_create",
    summary="Report a problem (multipart: fields and 1–4 photos)",
    description=(
        "Photos are JPEG, PNG or WebP up to 10 MB each, checked by decoding; they are stored "
        "re-encoded with the orientation applied and no EXIF. Extra questions go as "
        "`attribute[code]` fields. Errors are 422 naming the field (`photos[1]`, `category`…)."
    ),
)
def reports_create(
    request: HttpRequest,
    payload: Form[ReportIn],
    photos: File[list[UploadedFile]] = None,
):
    lat, lng = to_wgs84(payload.lat, payload.lng, payload.coord)
    report = services.report_create(
        reporter=request.user,
        category_code=payload.category,
        lat=lat,
        lng=lng,
        description=payload.description,
        address=payload.address,
        photos=photos or [],
        attributes=attributes_from_post(request.POST),
        source=Report.Source.API,
    )
    return 201, report_payload(selectors.report_get(report_id=report.pk), request)


@router.get(
    "/reports/mine",
    response=list[MyReportOut],
    operation_id="reports_mine",
    summary="Reports I made or support, with their updates",
)
@paginate(Paged)
def reports_mine(request: HttpRequest):
    user = request.user

    def serialise(report):
        return {**report_payload(report, request), "mine": report.reporter_id == user.pk}

    return SerialisedPage(selectors.reports_of(user=user), serialise)


@router.post(
    "/reports/{int:report_id}/support",
    response=SupportOut,
    operation_id="reports_support",
    summary="Me too: support (follow) a report; idempotent per person",
)
def reports_support(request: HttpRequest, report_id: int):
    report, created = services.report_support(report_id=report_id, user=request.user)
    return {
        "report_id": report.pk,
        "supported": True,
        "created": created,
        "support_count": report.supporters.count(),
    }


@router.post(
    "/reports/{int:report_id}/confirm",
    response=ReportDetailOut,
    operation_id="reports_confirm_fixed",
    summary="The reporter confirms the fix (within 14 days)",
)
def reports_confirm_fixed(request: HttpRequest, report_id: int, payload: NoteIn):
    services.report_confirm_fixed(report_id=report_id, user=request.user, note=payload.note)
    return report_payload(selectors.report_get(report_id=report_id), request)


@router.post(
    "/reports/{int:report_id}/reopen",
    response=ReportDetailOut,
    operation_id="reports_reopen",
    summary="The reporter reopens a fixed report (within 14 days), saying why",
)
def reports_reopen(request: HttpRequest, report_id: int, payload: NoteIn):
    services.report_reopen(report_id=report_id, user=request.user, note=payload.note)
    return report_payload(selectors.report_get(report_id=report_id), request)


# ---- staff ----


def _staff_detail(request, report_id: int) -> dict:
    report = selectors.report_staff_get(actor=request.user, report_id=report_id)
    return staff_report_payload(report, actor=request.user, request=request)


@router.get(
    "/staff/reports",
    response=list[StaffReportOut],
    operation_id="staff_reports_list",
    summary="Reports in my scope (region, or routed to my organisation)",
)
@paginate(Paged)
def staff_reports_list(request: HttpRequest, filters: Query[StaffFilters]):
    qs = selectors.report_staff_list(
        actor=request.user,
        statuses=list(filters.status),
        category_codes=filters.category,
        organisation_id=filters.organisation,
        region_code=filters.region,
        unrouted=filters.unrouted,
        text=filters.q,
    )
    return SerialisedPage(
        qs,
        lambda r: staff_report_payload(r, actor=request.user, request=request),
        after_page=lambda rows: mark_contactable(request.user, rows),
    )


@router.get(
    "/staff/reports/{int:report_id}",
    response=StaffReportDetailOut,
    operation_id="staff_reports_get",
    summary="One report with its whole history (staff)",
)
def staff_reports_get(request: HttpRequest, report_id: int):
    return _staff_detail(request, report_id)


@router.post(
    "/staff/reports/{int:report_id}/status",
    response=StaffReportDetailOut,
    operation_id="staff_reports_status",
    summary="Move a report to another status with a public note",
    description="Illegal moves are 409 naming the current status.",
)
def staff_reports_status(request: HttpRequest, report_id: int, payload: StatusIn):
    services.report_status_change(
        report_id=report_id,
        actor=request.user,
        status=payload.status,
        note=payload.note,
        expected_at=payload.expected_at,
    )
    return _staff_detail(request, report_id)


@router.post(
    "/staff/reports/{int:report_id}/route",
    response=StaffReportDetailOut,
    operation_id="staff_reports_route",
    summary="Send a report to another organisation",
)
def staff_reports_route(request: HttpRequest, report_id: int, payload: RouteIn):
    services.report_route(
        report_id=report_id,
        actor=request.user,
        organisation_id=payload.organisation_id,
        note=payload.note,
    )
    return _staff_detail(request, report_id)


@router.post(
    "/staff/reports/{int:report_id}/duplicate",
    response=StaffReportDetailOut,
    operation_id="staff_reports_duplicate",
    summary="Mark a report a duplicate of another; its followers move to the original",
)
def staff_reports_duplicate(request: HttpRequest, report_id: int, payload: DuplicateIn):
    services.report_mark_duplicate(
        report_id=report_id,
        actor=request.user,
        original_id=payload.original_id,
        note=payload.note,
    )
    return _staff_detail(request, report_id)
