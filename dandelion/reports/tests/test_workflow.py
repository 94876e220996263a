"""The status table as a `core.workflow.Workflow`: every (from, to) move it allows is one the
status table allowed, for the same roles; and for every move, a role the table does not name
is refused, whatever the sequence of moves before it (a hypothesis state machine)."""

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dandelion.core.errors import ApplicationError, Conflict, PermissionDenied
from dandelion.core.workflow import transition
from dandelion.reports.models import Report, ReportEvent
from dandelion.reports.statuses import Status
from dandelion.reports.workflow import REPORTER, ROLES, STAFF, SYSTEM, WORKFLOW, allowed_moves

pytestmark = pytest.mark.django_db

ACTIONS = sorted(WORKFLOW.actions)


def _put(report: Report, status: str) -> Report:
    """Set a report's status directly (the starting point of a move)."""
    Report.objects.filter(pk=report.pk).update(
        status=status, duplicate_of=report if status == Status.DUPLICATE else None
    )
    report.refresh_from_db()
    return report


def _actor(rw, role: str):
    # Each role's person holds what the role needs: staff their permission on the report,
    # the reporter their own report; the clock is nobody.
    return {STAFF: rw.dispatcher, REPORTER: rw.worker, SYSTEM: None}[role]


def _take(rw, report: Report, action: str, role: str):
    def keep_the_original(locked, move):
        if move.target == Status.DUPLICATE:
            locked.duplicate_of_id = locked.pk
            return ["duplicate_of"]
        return []

    return transition(
        WORKFLOW,
        report,
        action,
        actor=_actor(rw, role),
        actor_role=role,
        event_model=ReportEvent,
        event_fk="report",
        event_fields={"kind": ReportEvent.Kind.STATUS},
        changes=keep_the_original,
    )


def _may(action: str, state: str, role: str) -> bool:
    return WORKFLOW.is_possible(action, state, role)


def _check_refusal(exc: ApplicationError, action: str, state: str, role: str) -> None:
    """Refused the table's way: a role the action never names is 403 `actor_not_allowed`; a
    state it does not allow is the 409 naming it."""
    if not any(role in t.actors for t in WORKFLOW.by_action[action]):
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"
    elif WORKFLOW.find(action, state) is None:
        assert isinstance(exc, Conflict) and exc.code == "illegal_transition"
        assert exc.extra["state"] == state and exc.extra["entity"] == "report"
    else:
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"


def test_every_move_by_every_role_follows_the_table(rw, make_report):
    report = make_report()
    done = set()
    for state in Status.values:
        for action in ACTIONS:
            for role in ROLES:
                _put(report, state)
                try:
                    moved = _take(rw, report, action, role)
                except ApplicationError as exc:
                    assert not _may(action, state, role), (state, action, role)
                    _check_refusal(exc, action, state, role)
                    report.refresh_from_db()
                    assert report.status == state
                    continue
                assert _may(action, state, role), (state, action, role)
                done.add((state, moved.obj.status, role))
    # Each (from, to, who) the table allows was made, and nothing else.
    assert done == set(allowed_moves())


def test_no_sequence_of_moves_lets_a_role_the_table_does_not_name_move_a_report(rw, make_report):
    class ReportMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.report = make_report()
            self.events = 0

        @rule(action=st.sampled_from(ACTIONS), role=st.sampled_from(ROLES))
        def act(self, action, role):
            report = Report.objects.get(pk=self.report.pk)
            before = report.status
            try:
                moved = _take(rw, report, action, role)
            except ApplicationError as exc:
                assert not _may(action, before, role)
                _check_refusal(exc, action, before, role)
                report.refresh_from_db()
                assert report.status == before, "a refused move changed the status"
                return
            assert _may(action, before, role), "a role the table does not name moved it"
            self.events += 1
            assert (moved.event.from_state, moved.event.to_state) == (before, moved.obj.status)

        @rule(status=st.sampled_from(Status.values))
        def jump(self, status):
            """Start from anywhere, so every (from, to) is tried by every role."""
            _put(Report.objects.get(pk=self.report.pk), status)

        @invariant()
        def every_recorded_move_is_the_tables(self):
            moves = ReportEvent.objects.filter(report=self.report, kind="status")
            assert moves.count() == self.events
            for event in moves:
                assert (event.from_state, event.to_state, event.actor_role) in allowed_moves()

    ReportMachine.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    # Each example reports anew, as the same worker: more than a person may submit in a while.
    with override_settings(SUBMISSION_RATES="10000/600"):
        ReportMachine.TestCase("runTest").runTest()
