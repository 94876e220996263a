"""Memberships and party declarations as `core.workflow` tables: every (from, to) move made by
every actor role follows the table, and whatever the sequence of moves before it, a role the
table does not name for an action is refused (a hypothesis state machine)."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from dandelion.core.errors import ApplicationError, Conflict, PermissionDenied
from dandelion.core.workflow import SYSTEM, transition
from dandelion.orgs.models import Membership, MembershipEvent, PartyMembership, PartyMembershipEvent
from dandelion.orgs.services import membership_approve, membership_leave, party_membership_confirm
from dandelion.orgs.workflow import (
    ACTOR_ROLES,
    MEMBER,
    MEMBERSHIP,
    ORGANISER,
    PARTY_MEMBERSHIP,
    PARTY_OFFICER,
)

pytestmark = pytest.mark.django_db

CASES = {
    "membership": (MEMBERSHIP, Membership, MembershipEvent, "membership", Membership.Status),
    "party_membership": (
        PARTY_MEMBERSHIP,
        PartyMembership,
        PartyMembershipEvent,
        "party_membership",
        PartyMembership.State,
    ),
}


def _row(world, entity: str):
    return world.request_x if entity == "membership" else world.party_x


def _actor(world, role: str):
    # Each role's person holds what the role needs over the row: the worker owns both rows,
    # the team leader decides on team_x, the branch secretary on branch_x.
    return {
        MEMBER: world.worker_x,
        ORGANISER: world.leader_x,
        PARTY_OFFICER: world.secretary_x,
        SYSTEM: None,
    }[role]


def _put(model, row, state: str, field: str):
    model.objects.filter(pk=row.pk).update(**{field: state})
    row.refresh_from_db()
    return row


def _take(world, entity: str, row, action: str, role: str):
    workflow, _model, event_model, fk, _states = CASES[entity]
    return transition(
        workflow,
        row,
        action,
        actor=_actor(world, role),
        actor_role=role,
        event_model=event_model,
        event_fk=fk,
    )


def _check_refusal(workflow, exc: ApplicationError, action: str, state: str, role: str) -> None:
    """Refused the table's way: a role the action never names is 403 `actor_not_allowed`; a
    state the action does not leave from is the 409 naming it, or, where the table asks for a
    permission that only holds in open states (leaving), the 403 of that permission."""
    if not any(role in t.actors for t in workflow.by_action[action]):
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"
    elif workflow.find(action, state) is None:
        if isinstance(exc, Conflict):
            assert exc.code == "illegal_transition"
            assert exc.extra["state"] == state and exc.extra["entity"] == workflow.entity
        else:
            assert isinstance(exc, PermissionDenied) and exc.code == "permission_denied"
    else:
        assert isinstance(exc, PermissionDenied) and exc.code == "actor_not_allowed"


@pytest.mark.parametrize("entity", sorted(CASES))
def test_every_move_by_every_role_follows_the_table(world, entity):
    workflow, model, _event_model, _fk, states = CASES[entity]
    row = _row(world, entity)
    done = set()
    for state in states.values:
        for action in workflow.actions:
            for role in ACTOR_ROLES:
                _put(model, row, state, workflow.state_field)
                try:
                    moved = _take(world, entity, row, action, role)
                except ApplicationError as exc:
                    assert not workflow.is_possible(action, state, role), (state, action, role)
                    _check_refusal(workflow, exc, action, state, role)
                    row.refresh_from_db()
                    assert getattr(row, workflow.state_field) == state
                    continue
                assert workflow.is_possible(action, state, role), (state, action, role)
                assert (moved.event.from_state, moved.event.to_state) == (
                    state,
                    moved.transition.target,
                )
                assert moved.event.actor_role == role
                done.add((state, getattr(moved.obj, workflow.state_field), role))
    allowed = {(s, t.target, r) for t in workflow.transitions for s in t.sources for r in t.actors}
    assert done == allowed


@pytest.mark.parametrize("entity", sorted(CASES))
def test_no_sequence_of_moves_lets_a_role_the_table_does_not_name_move_a_row(world, entity):
    workflow, model, _event_model, _fk, states = CASES[entity]
    row_id = _row(world, entity).pk

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.events = model.objects.get(pk=row_id).events.count()

        @rule(action=st.sampled_from(workflow.actions), role=st.sampled_from(ACTOR_ROLES))
        def act(self, action, role):
            row = model.objects.get(pk=row_id)
            before = getattr(row, workflow.state_field)
            try:
                moved = _take(world, entity, row, action, role)
            except ApplicationError as exc:
                assert not workflow.is_possible(action, before, role)
                _check_refusal(workflow, exc, action, before, role)
                row.refresh_from_db()
                assert getattr(row, workflow.state_field) == before, "a refused move moved it"
                assert row.events.count() == self.events, "a refused move left an event"
                return
            assert workflow.is_possible(action, before, role), "a role not in the table moved it"
            self.events += 1
            assert moved.event.from_state == before

        @rule(state=st.sampled_from(states.values))
        def jump(self, state):
            """Start from anywhere, so every move is tried by every role."""
            _put(model, model.objects.get(pk=row_id), state, workflow.state_field)

    Machine.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()


def test_the_services_record_each_move_with_the_role_that_made_it(world):
    membership_approve(membership=world.request_x, actor=world.leader_x)
    membership_leave(membership=world.request_x, actor=world.worker_x)
    rows = list(
        world.request_x.events.values_list("action", "from_state", "to_state", "actor_role")
    )
    assert rows == [
        ("request", "", "pending", MEMBER),
        ("approve", "pending", "active", ORGANISER),
        ("leave", "active", "left", MEMBER),
    ]
    party_membership_confirm(party_membership=world.party_x, actor=world.secretary_x)
    assert list(
        world.party_x.events.values_list("action", "from_state", "to_state", "actor_role")
    ) == [("declare", "", "pending", MEMBER), ("confirm", "pending", "confirmed", PARTY_OFFICER)]


def test_a_leader_of_another_team_may_not_decide(world):
    with pytest.raises(PermissionDenied):
        membership_approve(membership=world.request_x, actor=world.leader_l)
    world.request_x.refresh_from_db()
    assert world.request_x.status == "pending" and world.request_x.events.count() == 1
