"""Hours: mine, my certificate, and per team or region for those who may see them."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from dandelion.core.api import problems

from .. import selectors
from ..certificate import certificate_pdf
from .payloads import attendance_payload
from .schemas import HoursRowOut, MyHoursOut

router = Router(tags=["volunteering"])


@router.get(
    "/me/volunteering/hours",
    response=MyHoursOut,
    operation_id="me_volunteering_hours",
    summary="My confirmed volunteer hours",
)
def my_hours(request: HttpRequest):
    rows = selectors.hours_of(user=request.user)
    return {
        "total_minutes": selectors.total_minutes(user=request.user),
        "items": [attendance_payload(a) for a in rows],
    }


@router.get(
    "/me/volunteering/certificate.pdf",
    operation_id="me_volunteering_certificate",
    summary="A PDF certificate of my confirmed volunteer hours",
    response={200: None},
)
def my_certificate(request: HttpRequest):
    return HttpResponse(
        certificate_pdf(user=request.user),
        content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="volunteer-hours.pdf"'},
    )


@router.get(
    "/volunteering/hours",
    response={200: list[HoursRowOut], **problems(403)},
    operation_id="volunteering_hours",
    summary="Confirmed hours per team or per district within the caller's scope",
)
def hours(request: HttpRequest, group: Literal["team", "region"] = "team"):
    return selectors.hours_by(actor=request.user, group=group)
