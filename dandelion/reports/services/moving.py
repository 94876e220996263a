"""Moving a report through the status table (`workflow.WORKFLOW`): staff's changes, merging a
duplicate, the reporter's confirm/reopen, and the clock's closing of confirmed fixes.

Every move goes through `core.workflow.transition`, which locks the row, checks the actor's
role, permission and the state, moves it and writes the `ReportEvent`; what a move means
beyond that (the public note, the fix time, the acceptance that earns points, telling the
followers) is here, the outside effects after commit.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dandelion.core import events
from dandelion.core.errors import Conflict, PermissionDenied
from dandelion.core.permissions import require
from dandelion.core.workflow import Moved, transition
from dandelion.notifications.services import notification_send

from .. import selectors
from ..errors import ReportsError
from ..events import ReportAccepted, ReportChanged
from ..models import Report, ReportEvent, ReportSupporter
from ..notes import note_in_english
from ..statuses import REPORTER_WINDOW, VALID_STATUSES, Status
from ..workflow import (
    CLOSE_CONFIRMED,
    CONFIRM_FIXED,
    REOPEN,
    REPORTER,
    STAFF,
    SYSTEM,
    WORKFLOW,
    staff_action,
)
from .common import clean_note, no_such_report, notify_handlers, refuse, report_url

E = ReportEvent


def _reports():
    return Report.objects.select_related("category", "region")


def _move(
    report: Report,
    action: str,
    *,
    actor,
    actor_role: str,
    note: str,
    now: datetime,
    guard=None,
    expected_at: datetime | None = None,
    duplicate_of: Report | None = None,
) -> Moved:
    """Take `action` on `report` through the table, then tell the followers and (once per
    report, when staff accept it as valid) announce the acceptance."""
    accepted = []

    def changes(locked: Report, move) -> list[str]:
        locked.status_note = note
        locked.updated_at = now
        fields = ["status_note", "updated_at"]
        if move.target == Status.FIXED:
            locked.fixed_at = now
            fields.append("fixed_at")
        elif move.target == Status.REOPEN:
            locked.fixed_at = None
            fields.append("fixed_at")
        if expected_at is not None:
            locked.expected_at = expected_at
            fields.append("expected_at")
        if duplicate_of is not None:
            locked.duplicate_of = duplicate_of
            fields.append("duplicate_of")
        if actor_role == STAFF and move.target in VALID_STATUSES and locked.accepted_at is None:
            locked.accepted_at = now
            fields.append("accepted_at")
            accepted.append(True)
        return fields

    moved = transition(
        WORKFLOW,
        report,
        action,
        actor=actor,
        actor_role=actor_role,
        event_model=ReportEvent,
        event_fk="report",
        note=note,
        at=now,
        guard=guard,
        changes=changes,
        event_fields={"kind": E.Kind.STATUS},
        queryset=_reports(),
    )
    report = moved.obj
    events.publish(
        ReportChanged(
            report_id=report.pk,
            region_code=report.region.code,
            status=report.status,
            occurred_at=now,
        )
    )
    if accepted and report.reporter_id:
        events.publish(
            ReportAccepted(
                report_id=report.pk,
                reporter_id=report.reporter_id,
                region_code=report.region.code,
                category=report.category.code,
                occurred_at=now,
            )
        )
    followers = [u for u in selectors.followers_of(report) if actor is None or u.pk != actor.pk]
    notification_send(
        recipients=followers,
        kind=f"reports.status.{report.status}",
        params={
            "report_id": report.pk,
            "category": report.category.name,
            "category_en": report.category.name_en,
            "note": note,
            "note_en": note_in_english(note),
        },
        url=report_url(report),
    )
    return moved


def _report(report_id: int) -> Report:
    report = _reports().filter(pk=report_id).first()
    if report is None:
        raise no_such_report()
    return report


@transaction.atomic
def report_status_change(
    *,
    report_id: int,
    actor,
    status: str,
    note: str,
    expected_at: datetime | None = None,
    now: datetime | None = None,
) -> Report:
    """Staff move a report along the status table with a public note. Marking a duplicate
    goes through `report_mark_duplicate` (it needs the original)."""
    now = now or timezone.now()
    if status not in Status.values:
        raise refuse(
            "status", ReportsError.UNKNOWN_STATUS, _("没有这个状态：%(s)s。") % {"s": status}
        )
    if status == Status.DUPLICATE:
        raise refuse("status", ReportsError.DUPLICATE_NEEDS_ORIGINAL, _("标记重复时请填写原报告。"))
    note = clean_note(note, required=True)
    moved = _move(
        _report(report_id),
        staff_action(status),
        actor=actor,
        actor_role=STAFF,
        note=note,
        now=now,
        expected_at=expected_at,
    )
    return moved.obj


@transaction.atomic
def report_mark_duplicate(
    *, report_id: int, original_id: int, actor, note: str = "", now: datetime | None = None
) -> Report:
    """Staff merge a report into an earlier one of the same city. Its reporter and supporters
    become supporters of the original (they follow it from now on) and are told where to look;
    the duplicate keeps its own history."""
    now = now or timezone.now()
    if report_id == original_id:
        raise refuse(
            "original_id", ReportsError.SELF_DUPLICATE, _("不能把随手拍标记为自己的重复。")
        )
    # Locks in id order, so two merges of the same pair cannot deadlock.
    locked = {
        r.pk: r
        for r in _reports()
        .select_for_update(of=("self",))
        # Two exact lookups, not `pk__in`: Django turns an id beyond the column's range into
        # "no row" for an exact lookup only.
        .filter(Q(pk=report_id) | Q(pk=original_id))
        .order_by("pk")
    }
    report, original = locked.get(report_id), locked.get(original_id)
    if report is None:
        raise no_such_report()
    if original is None:
        raise refuse("original_id", ReportsError.ORIGINAL_NOT_FOUND, _("没有这条原报告。"))
    require(actor, "report.mark_duplicate", report)
    require(actor, "report.view_staff", original)
    if original.city_code != report.city_code:
        raise refuse("original_id", ReportsError.OTHER_CITY, _("原报告在另一个城市。"))
    if original.status == Status.DUPLICATE:
        raise refuse(
            "original_id",
            ReportsError.ORIGINAL_IS_DUPLICATE,
            _("#%(id)s 本身是 #%(of)s 的重复。")
            % {"id": original.pk, "of": original.duplicate_of_id},
        )
    note = clean_note(note, required=False) or gettext(
        "与 #%(id)s 是同一问题，请关注 #%(id)s。"
    ) % {"id": original.pk}
    # Tell the followers (in the move) before they move to the original.
    moved = _move(
        report,
        staff_action(Status.DUPLICATE),
        actor=actor,
        actor_role=STAFF,
        note=note,
        now=now,
        duplicate_of=original,
    )
    report = moved.obj
    followers = set(ReportSupporter.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        followers.add(report.reporter_id)
    followers.discard(original.reporter_id)
    already = set(ReportSupporter.objects.filter(report=original).values_list("user_id", flat=True))
    ReportSupporter.objects.bulk_create(
        [
            ReportSupporter(report=original, user_id=user_id, created_at=now)
            for user_id in sorted(followers - already)
        ]
    )
    ReportSupporter.objects.filter(report=report).delete()
    E.objects.create(
        report=original,
        kind=E.Kind.DUPLICATE,
        action=E.Kind.DUPLICATE,
        note=f"#{report.pk}",
        actor=actor,
        actor_role=E.Actor.STAFF,
        created_at=now,
    )
    original.updated_at = now
    original.save(update_fields=["updated_at"])
    return report


# ---- the reporter's say ----


def _as_reporter(report_id: int, user) -> Report:
    report = _report(report_id)
    # Who reported does not change under a lock (only account deletion unlinks it).
    if report.reporter_id is None or report.reporter_id != user.pk:
        raise PermissionDenied(_("只有报告人可以这样做"), code=ReportsError.NOT_REPORTER)
    return report


def _window_guard(now: datetime):
    def guard(locked: Report, move) -> None:
        since = locked.fixed_at or locked.updated_at
        if now - since > REPORTER_WINDOW:
            raise Conflict(
                _("修复已超过 14 天，不能再确认或重新打开"),
                code=ReportsError.REPORTER_WINDOW_CLOSED,
                extra={"entity": "report", "state": locked.status},
            )

    return guard


@transaction.atomic
def report_confirm_fixed(
    *, report_id: int, user, note: str = "", now: datetime | None = None
) -> Report:
    """The reporter confirms the fix (fixed → closed), within 14 days of it."""
    now = now or timezone.now()
    note = clean_note(note, required=False) or str(_("报告人确认已修复"))
    report = _as_reporter(report_id, user)
    moved = _move(
        report,
        CONFIRM_FIXED,
        actor=user,
        actor_role=REPORTER,
        note=note,
        now=now,
        guard=_window_guard(now),
    )
    return moved.obj


@transaction.atomic
def report_reopen(*, report_id: int, user, note: str, now: datetime | None = None) -> Report:
    """The reporter says the problem is still there (fixed or closed → reopen), within 14 days
    of the fix, saying why."""
    now = now or timezone.now()
    note = clean_note(note, required=True)
    report = _as_reporter(report_id, user)
    moved = _move(
        report,
        REOPEN,
        actor=user,
        actor_role=REPORTER,
        note=note,
        now=now,
        guard=_window_guard(now),
    )
    report = moved.obj
    if report.organisation_id:
        notify_handlers(report, report.organisation)
    return report


def reports_close_confirmed(now: datetime | None = None) -> int:
    """Close fixes nobody reopened within 14 days (a periodic job; safe to run twice: each row
    is re-checked under its lock)."""
    now = now or timezone.now()
    due = list(
        Report.objects.filter(status=Status.FIXED, fixed_at__lt=now - REPORTER_WINDOW).values_list(
            "pk", flat=True
        )[:500]
    )
    closed = 0
    for report_id in due:
        with transaction.atomic():
            report = _reports().select_for_update(of=("self",)).filter(pk=report_id).first()
            if report is None or not WORKFLOW.is_possible(CLOSE_CONFIRMED, report.status, SYSTEM):
                continue
            if report.fixed_at is None or now - report.fixed_at <= REPORTER_WINDOW:
                continue
            _move(
                report,
                CLOSE_CONFIRMED,
                actor=None,
                actor_role=SYSTEM,
                note=str(_("修复后 14 天内无异议，自动办结")),
                now=now,
            )
            closed += 1
    return closed
