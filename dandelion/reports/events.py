"""Events the reports app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class ReportAccepted(Event):
    """Staff accepted a snapshot report (随手拍) as valid, once per report; `occurred_at` is
    the acceptance."""

    name = "reports.report_accepted"

    report_id: int
    reporter_id: int
    region_code: str
    category: str


@declare
class ReportChanged(Event):
    """A snapshot report was submitted, or moved to another status (fixed, reopened, merged…);
    `occurred_at` is then. The programme figures count reports by status from it."""

    name = "reports.report_changed"

    report_id: int
    region_code: str
    status: str
