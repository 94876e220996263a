"""A person's data: what they export, and what deleting their account leaves."""

from datetime import datetime

from ..models import Report, ReportSupporter


def reports_export(user) -> list[dict]:
    return [
        {
            "id": r.pk,
            "category": r.category.code,
            "description": r.description,
            "lat": r.lat,
            "lng": r.lng,
            "address": r.address,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(reporter=user).select_related("category")
    ]


def person_anonymise(user, actor, now: datetime) -> None:
    """Reports are a public record of a place; on account deletion they stay, unlinked."""
    Report.objects.filter(reporter=user).update(reporter=None)
    ReportSupporter.objects.filter(user=user).delete()
