"""The transition tables of activities, sign-ups and attendance (`volunteering.workflow`): every
move by every role follows the table, and whatever the sequence of moves before it, a role the
table does not name for an action is refused (hypothesis state machines). The services keep
their own rules on top: the capacity is never exceeded, the waiting list moves up in order."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dandelion.core.errors import ApplicationError, Conflict, PermissionDenied
from dandelion.core.workflow import SYSTEM, transition
from dandelion.volunteering.models import (
    Activity,
    ActivityEvent,
    Attendance,
    AttendanceEvent,
    SignUp,
    SignUpEvent,
)
from dandelion.volunteering.services import attendance_record, signup_cancel, signup_create
from dandelion.volunteering.workflow import ACTIVITY, ATTENDANCE, ORGANISER, ROLES, SIGNUP

pytestmark = pytest.mark.django_db

MACHINE_SETTINGS = settings(
    max_examples=5,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _refused_the_tables_way(workflow, exc: ApplicationError, action: str, state: str, role: str):
    """A role the action never names is 403 `actor_not_allowed`; a state the action does not
    leave from is the 409 naming it; a named role from a state whose move names others, 403."""
    if not any(role in t.actors for t in workflow.by_action[action]):
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"
    elif workflow.find(action, state) is None:
        assert isinstance(exc, Conflict) and exc.code == "illegal_transition"
        assert exc.extra == {
            "entity": workflow.entity,
            "state": state,
            "action": action,
            "allowed_from": workflow.sources_of(action),
        }
    else:
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"


class Rows:
    """An activity of 甘棠骑手志愿队 with a sign-up and an attendance, and the person who acts
    in each role: the team's leader organises, the volunteer acts on their own rows, the
    system is nobody."""

    def __init__(self, world, make_activity, volunteer):
        self.activity = make_activity(capacity=3)
        self.signup, _ = signup_create(activity_id=self.activity.pk, user=volunteer)
        self.attendance = attendance_record(
            actor=world.leader_x,
            activity=self.activity,
            user=volunteer,
            arrived_at=self.activity.starts_at,
            left_at=None,
        )
        self.actors = {ORGANISER: world.leader_x, "volunteer": volunteer, SYSTEM: None}

    def cases(self):
        return (
            (ACTIVITY, Activity, ActivityEvent, "activity", self.activity),
            (SIGNUP, SignUp, SignUpEvent, "signup", self.signup),
            (ATTENDANCE, Attendance, AttendanceEvent, "attendance", self.attendance),
        )


def _put(model, row, field: str, state: str):
    model.objects.filter(pk=row.pk).update(**{field: state})
    return model.objects.get(pk=row.pk)


def _take(rows: Rows, workflow, row, action: str, role: str, event_model, event_fk: str):
    return transition(
        workflow,
        row,
        action,
        actor=rows.actors[role],
        actor_role=role,
        event_model=event_model,
        event_fk=event_fk,
    )


def _states(model, field: str) -> list[str]:
    return [value for value, _label in model._meta.get_field(field).choices]


@pytest.fixture
def rows(world, make_activity, volunteers):
    return Rows(world, make_activity, volunteers[0])


def test_every_move_by_every_role_follows_the_table(rows):
    for workflow, model, event_model, fk, row in rows.cases():
        field = workflow.state_field
        done = set()
        for state in _states(model, field):
            for action in workflow.actions:
                for role in ROLES:
                    row = _put(model, row, field, state)
                    try:
                        moved = _take(rows, workflow, row, action, role, event_model, fk)
                    except ApplicationError as exc:
                        assert not workflow.is_possible(action, state, role), (action, state, role)
                        _refused_the_tables_way(workflow, exc, action, state, role)
                        assert getattr(model.objects.get(pk=row.pk), field) == state
                        continue
                    assert workflow.is_possible(action, state, role), (action, state, role)
                    assert moved.event.actor_role == role
                    done.add((state, getattr(moved.obj, field)))
        # Each (from, to) the table allows was made by a role it names, and nothing else.
        assert done == set(workflow.moves()), workflow.entity


@pytest.mark.parametrize("name", ["activity", "signup", "attendance"])
def test_no_sequence_of_moves_lets_a_role_the_table_does_not_name_move_a_row(rows, name):
    workflow, model, event_model, fk, first = next(c for c in rows.cases() if c[3] == name)
    field = workflow.state_field

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.row = first
            self.moves = 0
            self.events_before = event_model.objects.filter(**{fk: first}).count()

        @rule(action=st.sampled_from(workflow.actions), role=st.sampled_from(ROLES))
        def act(self, action, role):
            row = model.objects.get(pk=self.row.pk)
            before = getattr(row, field)
            try:
                moved = _take(rows, workflow, row, action, role, event_model, fk)
            except ApplicationError as exc:
                assert not workflow.is_possible(action, before, role)
                _refused_the_tables_way(workflow, exc, action, before, role)
                assert getattr(model.objects.get(pk=row.pk), field) == before
                return
            assert workflow.is_possible(action, before, role), "a role the table does not name"
            self.moves += 1
            assert (moved.event.from_state, moved.event.to_state) == (
                before,
                getattr(moved.obj, field),
            )

        @rule(state=st.sampled_from(_states(model, field)))
        def jump(self, state):
            """Start from anywhere, so every move is tried by every role."""
            _put(model, self.row, field, state)

        @invariant()
        def every_recorded_move_is_the_tables(self):
            events = event_model.objects.filter(**{fk: self.row}).order_by("id")
            assert events.count() == self.events_before + self.moves
            for event in events[self.events_before :]:
                assert (event.from_state, event.to_state) in workflow.moves()
                assert workflow.is_possible(event.action, event.from_state, event.actor_role)

    Machine.TestCase.settings = MACHINE_SETTINGS
    Machine.TestCase("runTest").runTest()


def test_sign_ups_and_cancellations_keep_the_capacity_and_the_waiting_order(
    world, make_activity, make_worker
):
    activity = make_activity(capacity=2)
    people = [make_worker(name=f"排队{i}", phone=f"1370000000{i}") for i in range(5)]

    class Queue(RuleBasedStateMachine):
        @initialize()
        def start(self):
            SignUp.objects.filter(activity=activity).delete()

        @rule(who=st.integers(0, len(people) - 1))
        def sign_up(self, who):
            signup_create(activity_id=activity.pk, user=people[who])

        @rule(who=st.integers(0, len(people) - 1))
        def cancel(self, who):
            try:
                signup_cancel(activity_id=activity.pk, user=people[who])
            except ApplicationError as exc:
                assert exc.code == "not_found"

        @invariant()
        def capacity_then_waiting_in_order(self):
            open_rows = list(
                SignUp.objects.filter(activity=activity, status__in=SignUp.OPEN_STATUSES)
            )
            confirmed = [s for s in open_rows if s.status == SignUp.Status.CONFIRMED]
            waiting = [s for s in open_rows if s.status == SignUp.Status.WAITING]
            assert len(confirmed) <= activity.capacity
            # Nobody waits while a place is free.
            assert not waiting or len(confirmed) == activity.capacity
            for signup in SignUp.objects.filter(activity=activity):
                for event in signup.events.all():
                    assert SIGNUP.is_possible(event.action, event.from_state, event.actor_role) or (
                        event.action == "sign_up" and event.from_state == ""
                    )

    Queue.TestCase.settings = MACHINE_SETTINGS
    Queue.TestCase("runTest").runTest()


def test_the_system_finishes_an_activity_but_publishes_none(world, make_activity):
    draft = make_activity(publish=False)
    with pytest.raises(PermissionDenied) as caught:
        transition(
            ACTIVITY,
            draft,
            "publish",
            actor=None,
            actor_role=SYSTEM,
            event_model=ActivityEvent,
            event_fk="activity",
        )
    assert caught.value.code == "actor_not_allowed"
    assert ACTIVITY.actions_for(Activity.Status.PUBLISHED, SYSTEM) == ["finish"]
