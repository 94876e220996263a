"""How a report is shown: the public payload (no reporter, ever), the staff payload (the
reporter's masked phone only for roles that call back), and the categories. The JSON API, the
H5 pages and the console all use these."""

from dandelion.core.i18n import localized
from dandelion.core.permissions import can
from dandelion.core.privacy import phone_mask

from .models import Report, ReportCategory, ReportEvent
from .notes import note_label
from .statuses import open311_status, status_label
from .workflow import staff_targets


def category_payload(category: ReportCategory) -> dict:
    return {
        "code": category.code,
        "name": localized(category.name, category.name_en),
        "name_zh": category.name,
        "name_en": category.name_en,
        "description": category.description,
        "group": category.group,
        "icon": category.icon,
        "attributes": [
            {
                "code": a.code,
                "description": localized(a.description, a.description_en),
                "datatype": a.datatype,
                "datatype_description": localized(
                    a.datatype_description, a.datatype_description_en
                ),
                "required": a.required,
                "order": a.order,
                "values": [
                    {
                        "key": str(v.get("key", "")),
                        "name": localized(str(v.get("name", "")), str(v.get("name_en") or "")),
                    }
                    for v in a.values or []
                ],
            }
            for a in category.attributes.all()
        ],
    }


def _photo(photo, request=None) -> dict:
    def url(field):
        return request.build_absolute_uri(field.url) if request is not None else field.url

    return {
        "url": url(photo.image),
        "thumbnail_url": url(photo.thumbnail),
        "width": photo.width,
        "height": photo.height,
    }


def update_payload(event: ReportEvent) -> dict:
    return {
        "id": event.pk,
        "status": event.to_state,
        "status_label": status_label(event.to_state),
        "from_status": event.from_state,
        "note": note_label(event.note),
        "by": event.actor_role,
        "created_at": event.created_at,
    }


def report_payload(report: Report, request=None) -> dict:
    """What anyone may see. No reporter, no contact details, no API key."""
    category = report.category
    data = {
        "id": report.pk,
        "category": {
            "code": category.code,
            "name": localized(category.name, category.name_en),
            "icon": category.icon,
        },
        "description": report.description,
        "lat": report.lat,
        "lng": report.lng,
        "address": report.address,
        "region": {
            "code": report.region.code,
            "name": localized(report.region.name, report.region.name_en),
        },
        "status": report.status,
        "status_label": status_label(report.status),
        "open311_status": open311_status(report.status),
        "status_note": note_label(report.status_note),
        "agency": report.organisation.name if report.organisation_id else "",
        "duplicate_of": report.duplicate_of_id,
        "support_count": getattr(report, "support_count", 0),
        "photos": [_photo(p, request) for p in report.photos.all()],
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "fixed_at": report.fixed_at,
        "expected_at": report.expected_at,
    }
    if hasattr(report, "public_updates"):
        data["updates"] = [update_payload(e) for e in report.public_updates]
    if hasattr(report, "distance_m"):
        data["distance_m"] = round(report.distance_m, 1)
    return data


def staff_report_payload(report: Report, *, actor, request=None) -> dict:
    data = report_payload(report, request)
    data["organisation"] = (
        {"id": report.organisation_id, "name": report.organisation.name}
        if report.organisation_id
        else None
    )
    data["source"] = report.source
    data["source_label"] = str(report.get_source_display())
    data["attributes"] = report.attributes
    data["media_url"] = report.media_url
    data["accepted_at"] = report.accepted_at
    data["next_statuses"] = staff_targets(report.status)
    reporter = None
    contactable = getattr(report, "contactable", None)
    if contactable is None:
        contactable = can(actor, "report.contact_reporter", report)
    if report.reporter_id and contactable:
        reporter = {"phone": phone_mask(report.reporter.phone)}
    data["reporter"] = reporter
    if hasattr(report, "all_events"):
        data["events"] = [
            {
                **update_payload(e),
                "kind": e.kind,
                "organisation": e.organisation.name if e.organisation_id else "",
                # Staff are named; the reporter never is, not even to staff.
                "actor": (e.actor.display_name or e.actor.username)
                if e.actor_id and e.actor_role == ReportEvent.Actor.STAFF
                else "",
            }
            for e in report.all_events
        ]
    return data
