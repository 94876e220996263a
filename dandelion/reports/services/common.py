"""What the report services share: the field refusal, the public note, telling handlers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, ErrorCode, InvalidInput, Message, field_error
from dandelion.notifications.services import notification_send

from .. import selectors
from ..models import Report
from ..selectors import no_such_report  # noqa: F401  (the services' own refusal too)

MAX_NOTE = 1000


def refuse(field: str, code: ErrorCode, message: Message, **extra) -> InvalidInput:
    """The `InvalidInput` naming one field."""
    return InvalidInput(
        message, code=code, errors=[field_error(field, code, message)], extra=extra or None
    )


def clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise refuse("note", CoreError.REQUIRED, _("请写一句公开说明。"))
    if len(note) > MAX_NOTE:
        raise refuse(
            "note",
            CoreError.TOO_LONG,
            _("说明不能超过 %(n)s 字。") % {"n": MAX_NOTE},
            limit=MAX_NOTE,
        )
    return note


def report_url(report: Report) -> str:
    return reverse("reports:detail", kwargs={"report_id": report.pk})


def notify_handlers(report: Report, organisation) -> None:
    """Tell the people who handle what is routed to `organisation` about `report`."""
    handlers = selectors.organisation_handlers(organisation)
    if handlers:
        notification_send(
            recipients=handlers,
            kind="reports.assigned",
            params={
                "report_id": report.pk,
                "category": report.category.name,
                "category_en": report.category.name_en,
            },
            url=f"/console/reports/{report.pk}/",
        )
