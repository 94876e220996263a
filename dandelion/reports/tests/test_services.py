"""Routing, the status table with every move and refusal, the reporter's say, "me too",
duplicates, the points event and notifications."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.notifications.models import Notification
from dandelion.reports import selectors, services, workflow
from dandelion.reports.models import Report, ReportEvent, ReportSupporter
from dandelion.reports.statuses import Status
from dandelion.reports.workflow import REPORTER, STAFF, SYSTEM

from .conftest import HERE

pytestmark = pytest.mark.django_db


# ---- routing ----


def test_the_most_specific_rule_wins_and_a_category_beats_a_catch_all(rw, make_report):
    assert make_report(category="garbage").organisation == rw.street_office  # street, category
    lift = make_report(category="broken_lift", attributes={"floor": "3"})
    assert lift.organisation == rw.property
    assert make_report(category="manhole").organisation == rw.urban  # district catch-all
    assert make_report().region == rw.street


def test_a_report_with_no_rule_waits_for_the_dispatcher(rw, make_report):
    from dandelion.reports.models import RoutingRule

    RoutingRule.objects.all().delete()
    report = make_report()
    assert report.organisation is None
    assert not report.events.filter(kind="routed").exists()


def test_a_place_outside_the_service_area_and_a_category_not_offered_are_refused(rw, make_report):
    with pytest.raises(InvalidInput) as info:
        make_report(at=(39.9, 116.4))  # Beijing
    assert info.value.code == "outside_service_area"
    with pytest.raises(InvalidInput) as info:
        make_report(category="lianxi_only")
    assert info.value.errors[0]["field"] == "category"
    with pytest.raises(InvalidInput) as info:
        make_report(category="no_such")
    assert info.value.code == "category_not_offered"


def test_extra_questions_are_checked(rw, make_report):
    with pytest.raises(InvalidInput) as info:
        make_report(category="broken_lift")
    assert info.value.errors[0]["field"] == "attribute[floor]"
    with pytest.raises(InvalidInput) as info:
        make_report(category="broken_lift", attributes={"floor": "three"})
    assert info.value.code == "invalid_attribute"
    with pytest.raises(InvalidInput) as info:
        make_report(category="broken_lift", attributes={"floor": "3", "trapped": "maybe"})
    assert info.value.errors[0]["field"] == "attribute[trapped]"
    with pytest.raises(InvalidInput):
        make_report(category="broken_lift", attributes={"floor": "3", "colour": "red"})
    report = make_report(category="broken_lift", attributes={"floor": "3", "trapped": "yes"})
    assert report.attributes == {"floor": "3", "trapped": "yes"}


@pytest.mark.parametrize("answer", ["yesterday", "2026-02-30T10:00", "2026-13-01T00:00:00+08:00"])
def test_a_date_and_time_answer_must_be_on_the_calendar(rw, make_report, answer):
    services.category_upsert(
        region=rw.city,
        code="noise",
        name="噪音扰民",
        attributes=[{"code": "heard_at", "description": "什么时候？", "datatype": "datetime"}],
    )
    with pytest.raises(InvalidInput) as info:
        make_report(category="noise", attributes={"heard_at": answer})
    assert info.value.code == "invalid_attribute"
    assert info.value.errors[0]["field"] == "attribute[heard_at]"
    report = make_report(category="noise", attributes={"heard_at": "2026-02-28T10:00"})
    assert report.attributes == {"heard_at": "2026-02-28T10:00"}


def test_photos_and_a_description_are_required_from_workers(rw, make_report):
    with pytest.raises(InvalidInput) as info:
        make_report(photos=0)
    assert info.value.code == "required" and info.value.errors[0]["field"] == "photos"
    with pytest.raises(InvalidInput) as info:
        make_report(description="   ")
    assert info.value.code == "required" and info.value.errors[0]["field"] == "description"
    assert not Report.objects.exists()


def test_a_new_report_is_for_triage_with_events_and_the_handlers_are_told(rw, make_report):
    report = make_report()
    assert report.status == Status.FOR_TRIAGE
    assert list(report.events.values_list("kind", flat=True)) == ["created", "routed"]
    assert report.photos.count() == 1
    told = Notification.objects.filter(kind="reports.assigned")
    assert list(told.values_list("recipient_id", flat=True)) == [rw.office_handler.pk]


# ---- the status table ----

ALL = list(Status.values)
STAFF_EDGES = [(a, b) for a in ALL for b in ALL if a != b and b != Status.DUPLICATE]


def _put(report: Report, status: str) -> Report:
    """Set a report's status directly (the starting point of a transition test)."""
    Report.objects.filter(pk=report.pk).update(
        status=status,
        duplicate_of=report if status == Status.DUPLICATE else None,
        fixed_at=timezone.now() if status in (Status.FIXED, Status.CLOSED) else None,
    )
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(("source", "target"), STAFF_EDGES)
def test_every_staff_move_follows_the_table(rw, make_report, source, target):
    report = _put(make_report(), source)
    if workflow.allowed(source, target, STAFF):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status=target, note="处理说明"
        )
        report.refresh_from_db()
        assert report.status == target and report.status_note == "处理说明"
        event = report.events.get(kind="status")
        assert (event.from_state, event.to_state, event.actor) == (source, target, rw.dispatcher)
        assert (event.action, event.actor_role) == (f"to_{target}", "staff")
    else:
        with pytest.raises(Conflict) as info:
            services.report_status_change(
                report_id=report.pk, actor=rw.dispatcher, status=target, note="处理说明"
            )
        assert info.value.code == "illegal_transition"
        assert info.value.extra["state"] == source and info.value.extra["entity"] == "report"
        report.refresh_from_db()
        assert report.status == source
        assert not report.events.filter(kind="status").exists()


def test_the_table_has_the_moves_the_programme_needs():
    assert workflow.allowed("for_triage", "open", STAFF)
    assert workflow.allowed("in_progress", "fixed", STAFF)
    assert workflow.allowed("fixed", "closed", REPORTER)
    assert workflow.allowed("fixed", "reopen", REPORTER)
    assert workflow.allowed("fixed", "closed", SYSTEM)
    assert not workflow.allowed("for_triage", "fixed", REPORTER)
    assert not workflow.allowed("duplicate", "open", STAFF)
    assert all(who in {STAFF, REPORTER, SYSTEM} for _s, _t, who in workflow.allowed_moves())


def _table_before_the_workflow() -> set[tuple[str, str, str]]:
    """The (from, to, who) table as `statuses.TRANSITIONS` declared it before it became a
    `core.workflow.Workflow`, rebuilt the way it was built."""
    s = Status
    working = (s.OPEN, s.INVESTIGATING, s.ACTION_SCHEDULED, s.IN_PROGRESS)
    endings = (s.FIXED, s.CLOSED, s.NO_FURTHER_ACTION, s.INTERNAL_REFERRAL)
    edges = set()

    def add(source, targets, who=STAFF):
        edges.update((source, t, who) for t in targets if t != source)

    for source in (s.FOR_TRIAGE, s.REOPEN, *working):
        add(source, (*working, *endings))
    for source in (s.FOR_TRIAGE, s.OPEN, s.INVESTIGATING, s.REOPEN):
        add(source, (s.DUPLICATE,))
    for source in endings:
        add(source, (s.REOPEN,))
    add(s.FIXED, (s.CLOSED,))
    add(s.FIXED, (s.CLOSED, s.REOPEN), REPORTER)
    add(s.CLOSED, (s.REOPEN,), REPORTER)
    add(s.FIXED, (s.CLOSED,), SYSTEM)
    return {(str(a), str(b), who) for a, b, who in edges}


def test_the_workflow_allows_exactly_the_moves_the_status_table_allowed():
    assert set(workflow.allowed_moves()) == _table_before_the_workflow()


def test_a_status_change_needs_a_public_note_and_a_known_status(rw, make_report):
    report = make_report()
    with pytest.raises(InvalidInput) as info:
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="open", note=" "
        )
    assert info.value.errors[0]["field"] == "note"
    with pytest.raises(InvalidInput):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="sleeping", note="x"
        )
    with pytest.raises(InvalidInput) as info:
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="duplicate", note="x"
        )
    assert info.value.code == "duplicate_needs_original"
    with pytest.raises(NotFound):
        services.report_status_change(
            report_id=999999, actor=rw.dispatcher, status="open", note="x"
        )


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("admin", True),
        ("dispatcher", True),
        ("office_handler", True),  # the report is routed to the street office
        ("urban_handler", False),  # another organisation
        ("auditor", False),  # read only
        ("dispatcher_l", False),  # another district
        ("other_worker", False),
    ],
)
def test_who_may_change_a_status(rw, make_report, who, may):
    report = make_report()
    call = lambda: services.report_status_change(  # noqa: E731
        report_id=report.pk, actor=getattr(rw, who), status="open", note="受理"
    )
    if may:
        call()
        report.refresh_from_db()
        assert report.status == "open"
    else:
        with pytest.raises(PermissionDenied):
            call()


# ---- the points event ----


def test_acceptance_publishes_the_points_event_once(
    rw, make_report, published, django_capture_on_commit_callbacks
):
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="open", note="受理"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.office_handler, status="in_progress", note="处置中"
        )
        services.report_status_change(
            report_id=report.pk, actor=rw.office_handler, status="fixed", note="已清运"
        )
        services.report_reopen(report_id=report.pk, user=rw.worker, note="又堆起来了")
        services.report_status_change(
            report_id=report.pk, actor=rw.office_handler, status="open", note="再次受理"
        )
    report.refresh_from_db()
    assert [
        (e.report_id, e.reporter_id, e.region_code, e.category, e.occurred_at) for e in published
    ] == [(report.pk, rw.worker.pk, rw.street.code, "garbage", report.accepted_at)]
    assert report.accepted_at is not None


def test_a_report_refused_at_triage_earns_nothing(
    rw, make_report, published, django_capture_on_commit_callbacks
):
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="no_further_action", note="不属实"
        )
    assert published == []


def test_a_rolled_back_acceptance_announces_nothing(
    rw, make_report, published, django_capture_on_commit_callbacks
):
    from django.db import transaction

    report = make_report()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="open", note="受理"
        )
        raise RuntimeError
    assert published == []
    report.refresh_from_db()
    assert report.accepted_at is None


# ---- notifications ----


def test_the_reporter_and_supporters_are_told_of_each_change_but_not_the_actor(rw, make_report):
    report = make_report()
    services.report_support(report_id=report.pk, user=rw.other_worker)
    services.report_support(report_id=report.pk, user=rw.office_handler)
    services.report_status_change(
        report_id=report.pk, actor=rw.office_handler, status="fixed", note="已清运"
    )
    told = Notification.objects.filter(kind="reports.status.fixed")
    assert set(told.values_list("recipient_id", flat=True)) == {rw.worker.pk, rw.other_worker.pk}
    notification = told.get(recipient=rw.worker)
    assert notification.params["note"] == "已清运"
    assert notification.url == f"/reports/{report.pk}/"


# ---- the reporter's say ----


def _fixed(rw, report, when=None):
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="fixed", note="已修复", now=when
    )


def test_the_reporter_confirms_a_fix_within_14_days(rw, make_report):
    report = make_report()
    _fixed(rw, report)
    services.report_confirm_fixed(report_id=report.pk, user=rw.worker)
    report.refresh_from_db()
    assert report.status == "closed"
    event = report.events.filter(kind="status").last()
    assert event.actor_role == "reporter" and event.note and event.action == "confirm_fixed"


def test_only_the_reporter_confirms_or_reopens(rw, make_report):
    report = make_report()
    _fixed(rw, report)
    for user in (rw.other_worker, rw.dispatcher):
        with pytest.raises(PermissionDenied):
            services.report_confirm_fixed(report_id=report.pk, user=user)
        with pytest.raises(PermissionDenied):
            services.report_reopen(report_id=report.pk, user=user, note="没修好")


def test_confirm_and_reopen_are_refused_before_a_fix(rw, make_report):
    report = make_report()
    with pytest.raises(Conflict) as info:
        services.report_confirm_fixed(report_id=report.pk, user=rw.worker)
    assert info.value.extra["state"] == "for_triage"
    with pytest.raises(Conflict):
        services.report_reopen(report_id=report.pk, user=rw.worker, note="?")


def test_reopen_needs_a_reason_and_reaches_the_handlers_again(rw, make_report):
    report = make_report()
    _fixed(rw, report)
    with pytest.raises(InvalidInput):
        services.report_reopen(report_id=report.pk, user=rw.worker, note="")
    services.report_reopen(report_id=report.pk, user=rw.worker, note="又堆起来了")
    report.refresh_from_db()
    assert report.status == "reopen" and report.fixed_at is None
    assert Notification.objects.filter(kind="reports.assigned").count() == 2


def test_after_14_days_the_reporter_may_no_longer_answer_and_the_clock_closes_it(rw, make_report):
    report = make_report()
    fixed_at = timezone.now() - timedelta(days=15)
    _fixed(rw, report, when=fixed_at)
    with pytest.raises(Conflict) as info:
        services.report_reopen(report_id=report.pk, user=rw.worker, note="没修好")
    assert info.value.code == "reporter_window_closed"
    fresh = make_report(at=(29.7240, 115.9960))
    _fixed(rw, fresh)

    assert services.reports_close_confirmed() == 1
    assert services.reports_close_confirmed() == 0  # nothing left: safe to run again
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == "closed" and fresh.status == "fixed"
    last = report.events.filter(kind="status").last()
    assert (last.actor_role, last.action) == ("system", "close_confirmed")


def test_the_reporter_may_reopen_a_closed_report_within_the_window(rw, make_report):
    report = make_report()
    _fixed(rw, report)
    services.report_confirm_fixed(report_id=report.pk, user=rw.worker)
    services.report_reopen(report_id=report.pk, user=rw.worker, note="又坏了")
    report.refresh_from_db()
    assert report.status == "reopen"


# ---- me too and duplicates ----


def test_support_is_idempotent_per_person(rw, make_report):
    report = make_report()
    assert services.report_support(report_id=report.pk, user=rw.other_worker)[1] is True
    assert services.report_support(report_id=report.pk, user=rw.other_worker)[1] is False
    assert ReportSupporter.objects.filter(report=report).count() == 1
    with pytest.raises(Conflict) as info:
        services.report_support(report_id=report.pk, user=rw.worker)
    assert info.value.code == "own_report"
    _put(report, "closed")
    with pytest.raises(Conflict) as info:
        services.report_support(report_id=report.pk, user=rw.third_worker)
    assert info.value.code == "report_closed"
    with pytest.raises(NotFound):
        services.report_support(report_id=999999, user=rw.third_worker)


def test_nearby_open_reports_are_the_same_category_within_50_m_and_7_days(rw, make_report):
    now = timezone.now()
    near = make_report(at=(HERE[0] + 0.0003, HERE[1]))  # ~33 m north
    make_report(at=(HERE[0] + 0.0006, HERE[1]))  # ~67 m: too far
    make_report(category="manhole", at=HERE)  # another category
    old = make_report(at=HERE, now=now - timedelta(days=8))  # too old
    closed = _put(make_report(at=HERE), "fixed")
    hits = selectors.reports_nearby_open(category=rw.garbage, lat=HERE[0], lng=HERE[1], now=now)
    assert [r.pk for r in hits] == [near.pk]
    assert 30 < hits[0].distance_m < 36
    assert old.pk not in [r.pk for r in hits] and closed.pk not in [r.pk for r in hits]


def test_marking_a_duplicate_moves_its_followers_to_the_original(rw, make_report):
    original = make_report()
    copy = make_report(reporter=rw.other_worker, at=(HERE[0] + 0.0001, HERE[1]))
    services.report_support(report_id=copy.pk, user=rw.third_worker)
    services.report_support(report_id=copy.pk, user=rw.worker)  # the original's reporter
    services.report_mark_duplicate(report_id=copy.pk, original_id=original.pk, actor=rw.dispatcher)

    copy.refresh_from_db()
    assert copy.status == "duplicate" and copy.duplicate_of == original
    assert str(original.pk) in copy.status_note
    assert not copy.supporters.exists()
    assert set(original.supporters.values_list("user_id", flat=True)) == {
        rw.other_worker.pk,
        rw.third_worker.pk,
    }
    told = Notification.objects.filter(kind="reports.status.duplicate")
    assert set(told.values_list("recipient_id", flat=True)) == {
        rw.other_worker.pk,
        rw.third_worker.pk,
        rw.worker.pk,
    }
    # From now on the moved followers hear about the original.
    services.report_status_change(
        report_id=original.pk, actor=rw.dispatcher, status="fixed", note="已清运"
    )
    fixed_told = Notification.objects.filter(kind="reports.status.fixed")
    assert set(fixed_told.values_list("recipient_id", flat=True)) == {
        rw.worker.pk,
        rw.other_worker.pk,
        rw.third_worker.pk,
    }
    assert original.events.filter(kind=ReportEvent.Kind.DUPLICATE).exists()


def test_duplicate_refusals(rw, make_report):
    a, b = make_report(), make_report(at=(HERE[0] + 0.0001, HERE[1]))
    with pytest.raises(InvalidInput):
        services.report_mark_duplicate(report_id=a.pk, original_id=a.pk, actor=rw.dispatcher)
    with pytest.raises(InvalidInput) as info:
        services.report_mark_duplicate(report_id=a.pk, original_id=999999, actor=rw.dispatcher)
    assert info.value.code == "original_not_found"
    with pytest.raises(PermissionDenied):
        services.report_mark_duplicate(report_id=a.pk, original_id=b.pk, actor=rw.office_handler)
    services.report_mark_duplicate(report_id=a.pk, original_id=b.pk, actor=rw.dispatcher)
    c = make_report(at=(HERE[0] + 0.0002, HERE[1]))
    with pytest.raises(InvalidInput) as info:
        services.report_mark_duplicate(report_id=c.pk, original_id=a.pk, actor=rw.dispatcher)
    assert info.value.code == "original_is_duplicate"
    with pytest.raises(Conflict):  # already a duplicate: the table has no way on
        services.report_mark_duplicate(report_id=a.pk, original_id=c.pk, actor=rw.dispatcher)


# ---- routing by hand ----


def test_a_dispatcher_reroutes_within_their_region_and_the_new_handlers_are_told(rw, make_report):
    report = make_report()
    services.report_route(
        report_id=report.pk, actor=rw.dispatcher, organisation_id=rw.urban.pk, note="归城管"
    )
    report.refresh_from_db()
    assert report.organisation == rw.urban and report.status == "for_triage"
    assert Notification.objects.filter(kind="reports.assigned", recipient=rw.urban_handler).exists()
    with pytest.raises(Conflict):
        services.report_route(report_id=report.pk, actor=rw.dispatcher, organisation_id=rw.urban.pk)
    with pytest.raises(InvalidInput):  # an organisation of another district
        services.report_route(
            report_id=report.pk, actor=rw.dispatcher, organisation_id=rw.lianxi_office.pk
        )
    with pytest.raises(PermissionDenied):  # handlers cannot re-route
        services.report_route(
            report_id=report.pk, actor=rw.urban_handler, organisation_id=rw.street_office.pk
        )
    # The street office no longer sees it; the bureau does.
    assert not selectors.report_staff_list(actor=rw.office_handler).exists()
    assert selectors.report_staff_list(actor=rw.urban_handler).count() == 1


def test_api_keys_store_only_a_hash_and_can_be_revoked(rw):
    key, raw = services.api_key_issue(name="12345 热线", region=rw.xunyang)
    assert raw not in (key.key_hash, key.key_prefix) and raw.startswith(key.key_prefix)
    assert services.api_key_authenticate(raw=raw) == key
    assert services.api_key_authenticate(raw=raw + "x") is None
    services.api_key_revoke(key=key)
    assert services.api_key_authenticate(raw=raw) is None


def test_deleting_an_account_keeps_the_report_but_unlinks_the_person(rw, make_report):
    report = make_report()
    services.report_support(report_id=report.pk, user=rw.other_worker)
    assert services.reports_export(rw.worker)[0]["id"] == report.pk
    services.person_anonymise(rw.worker, None, timezone.now())
    services.person_anonymise(rw.other_worker, None, timezone.now())
    report.refresh_from_db()
    assert report.reporter is None and not report.supporters.exists()


def test_submission_and_every_move_announce_the_reports_status(
    rw, make_report, django_capture_on_commit_callbacks
):
    """`reports.report_changed` follows a report from submission through each move (the
    figures count reports by status from it); a refused move announces nothing."""
    from dandelion.core import events
    from dandelion.reports.events import ReportChanged

    seen = []
    events.subscribe(ReportChanged, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = make_report()
        with django_capture_on_commit_callbacks(execute=True):
            services.report_status_change(
                report_id=report.pk, actor=rw.dispatcher, status="open", note="受理"
            )
        with pytest.raises(Conflict), django_capture_on_commit_callbacks(execute=True):
            services.report_reopen(report_id=report.pk, user=rw.worker, note="还没修")
    finally:
        events._handlers[ReportChanged.name].remove(seen.append)
    assert [(e.report_id, e.region_code, e.status) for e in seen] == [
        (report.pk, rw.street.code, "for_triage"),
        (report.pk, rw.street.code, "open"),
    ]
