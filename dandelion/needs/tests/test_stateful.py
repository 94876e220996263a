"""Property: no sequence of actions by any role reaches a state outside the table, and every
state change leaves exactly one event recording it (from, to) as the table allows."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dandelion.core.errors import ApplicationError
from dandelion.needs import services
from dandelion.needs.models import Need, NeedEvent
from dandelion.needs.workflow import ALLOWED_MOVES, NEED

TRANSITIONS = {t.action: t for t in NEED.transitions}

ACTORS = [
    "worker_x",
    "worker_l",
    "dispatcher_x",
    "dispatcher_l",
    "handler_x",
    "justice_handler",
    "handler_l",
    "admin_x",
    "auditor_x",
]
DEPARTMENTS = ["office_x", "justice_x", "office_l"]


@pytest.mark.django_db
@pytest.mark.usefixtures("submissions_unlimited")
def test_no_sequence_of_actions_escapes_the_table(needs_world, submit):
    w = needs_world

    class NeedMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.needs = [submit(), submit(item="mediation")]
            self.events_seen = {n.pk: 1 for n in self.needs}

        @rule(
            index=st.integers(0, 1),
            action=st.sampled_from(sorted(TRANSITIONS)),
            actor=st.sampled_from(ACTORS),
            department=st.sampled_from(DEPARTMENTS),
            stars=st.integers(0, 6),
            note=st.sampled_from(["", "原因说明"]),
        )
        def act(self, index, action, actor, department, stars, note, actor_user=None):
            need = Need.objects.get(pk=self.needs[index].pk)
            if isinstance(department, str):
                department = getattr(w, department)
            before = need.state
            try:
                services.need_transition(
                    need=need,
                    action=action,
                    actor=actor_user or getattr(w, actor),
                    department=department,
                    stars=stars,
                    note=note,
                )
            except ApplicationError:
                need.refresh_from_db()
                assert need.state == before, "a refused action changed the state"
                assert NeedEvent.objects.filter(need=need).count() == self.events_seen[need.pk]
                return
            self.events_seen[need.pk] += 1
            need.refresh_from_db()
            last = NeedEvent.objects.filter(need=need).order_by("-id").first()
            assert (last.action, last.from_state, last.to_state) == (action, before, need.state)

        @rule(
            index=st.integers(0, 3),
            action=st.sampled_from(sorted(TRANSITIONS)),
            stars=st.integers(1, 5),
        )
        def act_in_role(self, index, action, stars):
            """The role the table means for the action, with valid details, so walks go deep."""
            need = self.needs[index % len(self.needs)]
            current = Need.objects.select_related("department").get(pk=need.pk)
            actor = {
                "dispatch": w.dispatcher_x,
                "rate": w.worker_x,
                "reopen": w.worker_x,
                "cancel": w.worker_x,
            }.get(action)
            if actor is None:
                actor = (
                    w.justice_handler if current.department_id == w.justice_x.pk else w.handler_x
                )
            department = w.justice_x if current.department_id == w.office_x.pk else w.office_x
            self.act(
                index % len(self.needs), action, "", department, stars, "说明", actor_user=actor
            )

        @rule(index=st.integers(0, 1))
        def submit_another(self, index):
            if len(self.needs) < 4:
                need = submit()
                self.needs.append(need)
                self.events_seen[need.pk] = 1

        @invariant()
        def states_and_events_follow_the_table(self):
            for need in Need.objects.filter(pk__in=[n.pk for n in self.needs]):
                assert need.state in Need.State.values
                events = list(NeedEvent.objects.filter(need=need).order_by("id"))
                assert len(events) == self.events_seen[need.pk]
                chain = ""
                for event in events:
                    assert (event.from_state, event.to_state) in ALLOWED_MOVES
                    assert event.from_state == chain, "events do not chain"
                    chain = event.to_state
                assert chain == need.state, "the last event does not name the current state"
                if need.state in Need.WITH_DEPARTMENT:
                    assert need.department_id is not None

    NeedMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    runner = NeedMachine.TestCase("runTest")
    runner.runTest()
