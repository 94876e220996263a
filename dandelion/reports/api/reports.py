"""Reports: the public list and map, one report, the nearby open reports a worker sees before
reporting the same problem again; submitting (multipart, with photos), my reports, "me too",
and the reporter's confirm/reopen."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.geo import bbox_parse, to_wgs84
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from ..forms import attributes_from_post
from ..models import Report
from ..payloads import report_payload
from .schemas import (
    MyReportOut,
    NearbyReportOut,
    ReportDetailOut,
    ReportFilters,
    ReportIn,
    ReportNearbyFilters,
    ReportNoteIn,
    ReportOut,
    ReportSupportOut,
)

router = Router(tags=["reports"])


@router.get(
    "/reports",
    response={200: list[ReportOut], **problems(404)},
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
    response={200: list[NearbyReportOut], **problems(404)},
    operation_id="reports_nearby_open",
    summary="Open reports of a category within 50 m from the last 7 days (duplicate check)",
    auth=None,
)
def reports_nearby_open(request: HttpRequest, filters: Query[ReportNearbyFilters]):
    lat, lng = to_wgs84(filters.lat, filters.lng, filters.coord)
    # Codes are unique within a city only: the category is the one of the point's city.
    city_code = selectors.region_for_point(lat=lat, lng=lng).city_code
    category = selectors.category_get(code=filters.category, city_code=city_code)
    hits = selectors.reports_nearby_open(category=category, lat=lat, lng=lng)
    return [report_payload(r, request) for r in hits]


@router.get(
    "/reports/{int:report_id}",
    response={200: ReportDetailOut, **problems(404)},
    operation_id="reports_get",
    summary="One report with its public updates",
    auth=None,
)
def reports_get(request: HttpRequest, report_id: int):
    return report_payload(selectors.report_get(report_id=report_id), request)


@router.post(
    "/reports",
    response={201: ReportDetailOut, **problems(404, 429)},
    operation_id="reports_create",
    summary="Report a problem (multipart: fields and 1–4 photos)",
    description=(
        "Photos are JPEG, PNG or WebP up to 10 MB each, checked by decoding; they are stored "
        "re-encoded with the orientation applied and no EXIF. Extra questions go as "
        "`attribute[code]` fields. Errors are 422 naming the field (`photos[1]`, `category`…). "
        "429 with `Retry-After`: `rate_limited` once a person has submitted too many reports "
        "in a while, `photos_busy` while other large photos are being decoded."
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
    response={200: ReportSupportOut, **problems(404, 409)},
    operation_id="reports_support",
    summary="Me too: support (follow) a report; idempotent per person",
)
def reports_support(request: HttpRequest, report_id: int):
    report, created = services.report_support(report_id=report_id, user=request.user)
    return {
        "report_id": report.pk,
        "supported": True,
        "created": created,
        "support_count": selectors.support_count(report=report),
    }


@router.post(
    "/reports/{int:report_id}/confirm",
    response={200: ReportDetailOut, **problems(404, 409)},
    operation_id="reports_confirm_fixed",
    summary="The reporter confirms the fix (within 14 days)",
)
def reports_confirm_fixed(request: HttpRequest, report_id: int, payload: ReportNoteIn):
    services.report_confirm_fixed(report_id=report_id, user=request.user, note=payload.note)
    return report_payload(selectors.report_get(report_id=report_id), request)


@router.post(
    "/reports/{int:report_id}/reopen",
    response={200: ReportDetailOut, **problems(404, 409)},
    operation_id="reports_reopen",
    summary="The reporter reopens a fixed report (within 14 days), saying why",
)
def reports_reopen(request: HttpRequest, report_id: int, payload: ReportNoteIn):
    services.report_reopen(report_id=report_id, user=request.user, note=payload.note)
    return report_payload(selectors.report_get(report_id=report_id), request)
