"""Staff report endpoints: the queue in my scope, one report with its whole history, and the
actions on it (status with a public note, routing, merging a duplicate)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from ..payloads import staff_report_payload
from .schemas import (
    ReportDuplicateIn,
    ReportRouteIn,
    ReportStatusIn,
    StaffReportDetailOut,
    StaffReportFilters,
    StaffReportOut,
)

router = Router(tags=["reports"])


def _staff_detail(request, report_id: int) -> dict:
    report = selectors.report_staff_get(actor=request.user, report_id=report_id)
    return staff_report_payload(report, actor=request.user, request=request)


@router.get(
    "/staff/reports",
    response={200: list[StaffReportOut], **problems(404)},
    operation_id="staff_reports_list",
    summary="Reports in my scope (region, or routed to my organisation)",
)
@paginate(Paged)
def staff_reports_list(request: HttpRequest, filters: Query[StaffReportFilters]):
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
        after_page=lambda rows: selectors.mark_contactable(request.user, rows),
    )


@router.get(
    "/staff/reports/{int:report_id}",
    response={200: StaffReportDetailOut, **problems(404)},
    operation_id="staff_reports_get",
    summary="One report with its whole history (staff)",
)
def staff_reports_get(request: HttpRequest, report_id: int):
    return _staff_detail(request, report_id)


@router.post(
    "/staff/reports/{int:report_id}/status",
    response={200: StaffReportDetailOut, **problems(404, 409)},
    operation_id="staff_reports_status",
    summary="Move a report to another status with a public note",
    description="Illegal moves are 409 naming the current status.",
)
def staff_reports_status(request: HttpRequest, report_id: int, payload: ReportStatusIn):
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
    response={200: StaffReportDetailOut, **problems(404, 409)},
    operation_id="staff_reports_route",
    summary="Send a report to another organisation",
)
def staff_reports_route(request: HttpRequest, report_id: int, payload: ReportRouteIn):
    services.report_route(
        report_id=report_id,
        actor=request.user,
        organisation_id=payload.organisation_id,
        note=payload.note,
    )
    return _staff_detail(request, report_id)


@router.post(
    "/staff/reports/{int:report_id}/duplicate",
    response={200: StaffReportDetailOut, **problems(404, 409)},
    operation_id="staff_reports_duplicate",
    summary="Mark a report a duplicate of another; its followers move to the original",
)
def staff_reports_duplicate(request: HttpRequest, report_id: int, payload: ReportDuplicateIn):
    services.report_mark_duplicate(
        report_id=report_id,
        actor=request.user,
        original_id=payload.original_id,
        note=payload.note,
    )
    return _staff_detail(request, report_id)
