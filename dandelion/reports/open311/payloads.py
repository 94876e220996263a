"""Open311's view of our rows: a category is a service (with its definition), a report is a
service request, a status event is a request update."""

from ..models import Report, ReportCategory, ReportEvent
from ..statuses import open311_status
from .render import iso


def service_payload(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(list(category.attributes.all())),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def definition_payload(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                    for v in a.values or []
                ],
            }
            for a in category.attributes.all()
        ],
    }


def request_payload(report: Report, request) -> dict:
    photos = list(report.photos.all())
    media_url = request.build_absolute_uri(photos[0].image.url) if photos else report.media_url
    return {
        "service_request_id": str(report.pk),
        "status": open311_status(report.status),
        "status_notes": report.status_note,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.organisation.name if report.organisation_id else "",
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.expected_at),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lng,
        "media_url": media_url,
    }


def update_payload(event: ReportEvent) -> dict:
    return {
        "update_id": str(event.pk),
        "service_request_id": str(event.report_id),
        "status": event.to_state,
        "updated_datetime": iso(event.created_at),
        "description": event.note,
        "media_url": "",
    }
