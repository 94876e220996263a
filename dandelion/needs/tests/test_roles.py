"""Property: only the actor roles a workflow's table names can take each move. For needs and
wishes, any sequence of moves attempted by any role either follows the table (an allowed role
from an allowed state succeeds) or is refused without a trace: a role the table does not name
is a 403 (`actor_not_allowed`, or `permission_denied` for someone without the permission on
the row), a state the table does not allow is a 409."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dandelion.core.errors import ApplicationError, Conflict, PermissionDenied
from dandelion.core.workflow import SYSTEM
from dandelion.needs import services
from dandelion.needs.models import MicroWish, MicroWishEvent, Need, NeedEvent, WishPledge
from dandelion.needs.workflow import (
    DEPARTMENT_HANDLER,
    DISPATCHER,
    NEED,
    PLEDGE,
    PLEDGER,
    PUBLIC,
    REGION_ADMIN,
    WISH,
    WORKER,
)

REFUSED_ROLE = {"actor_not_allowed", "permission_denied"}
NEED_ROLES = [WORKER, DISPATCHER, DEPARTMENT_HANDLER, REGION_ADMIN, SYSTEM]
MACHINE_SETTINGS = settings(
    max_examples=10,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

pytestmark = pytest.mark.django_db


def test_the_tables_name_only_known_roles():
    assert {a for t in NEED.transitions for a in t.actors} <= set(NEED_ROLES)
    assert {a for t in WISH.transitions for a in t.actors} <= {
        WORKER,
        PLEDGER,
        DISPATCHER,
        REGION_ADMIN,
        SYSTEM,
    }
    assert {a for t in PLEDGE.transitions for a in t.actors} <= {WORKER, PLEDGER, SYSTEM}
    assert PUBLIC not in {
        a for wf in (NEED, WISH, PLEDGE) for t in wf.transitions for a in t.actors
    }


@pytest.mark.usefixtures("submissions_unlimited")
def test_only_the_roles_a_need_table_names_move_a_need(needs_world, submit):
    w = needs_world

    def person(role: str, need: Need):
        """The person acting in `role` on `need`: its worker, the region's dispatcher or admin,
        the handler of its department (of the office when it has none), or the system."""
        return {
            WORKER: w.worker_x,
            DISPATCHER: w.dispatcher_x,
            REGION_ADMIN: w.admin_x,
            DEPARTMENT_HANDLER: (
                w.justice_handler if need.department_id == w.justice_x.pk else w.handler_x
            ),
            SYSTEM: None,
        }[role]

    class NeedRoles(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.needs = [submit(), submit(item="mediation")]

        @rule(
            index=st.integers(0, 1),
            action=st.sampled_from(NEED.actions),
            role=st.sampled_from(NEED_ROLES),
            stars=st.integers(1, 5),
        )
        def act(self, index, action, role, stars):
            need = Need.objects.get(pk=self.needs[index].pk)
            before, events = need.state, NeedEvent.objects.filter(need=need).count()
            department = w.justice_x if need.department_id == w.office_x.pk else w.office_x
            allowed_state = NEED.find(action, need.state) is not None
            named = role in NEED.by_action[action][0].actors
            try:
                services.need_transition(
                    need=need,
                    action=action,
                    actor=person(role, need),
                    department=department,
                    stars=stars,
                    note="说明",
                )
            except PermissionDenied as exc:
                assert exc.code in REFUSED_ROLE
                if named:  # only a row outside the person's scope (no department yet) refuses
                    assert not allowed_state and exc.code == "permission_denied", (role, action)
            except Conflict:
                assert named and not allowed_state, f"{role} reached the state check of {action}"
            else:
                assert named and allowed_state, f"{role} took {action} from {before}"
                need.refresh_from_db()
                assert need.state == NEED.find(action, before).target
                last = NeedEvent.objects.filter(need=need).order_by("-id").first()
                assert (last.action, last.actor_role) == (action, role)
                return
            need.refresh_from_db()
            assert need.state == before
            assert NeedEvent.objects.filter(need=need).count() == events

        @invariant()
        def every_event_names_a_role_the_table_allows(self):
            for event in NeedEvent.objects.filter(need__in=[n.pk for n in self.needs]):
                if event.action in NEED.by_action:
                    assert NEED.is_possible(event.action, event.from_state, event.actor_role)

    NeedRoles.TestCase.settings = MACHINE_SETTINGS
    NeedRoles.TestCase("runTest").runTest()


@pytest.mark.usefixtures("submissions_unlimited")
def test_only_the_roles_a_wish_table_names_move_a_wish(needs_world, make_user):
    w = needs_world
    helper = make_user(name="爱心志愿者")
    other = make_user(name="另一位志愿者")

    class WishRoles(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.wishes = [
                services.wish_create(worker=w.worker_x, title=f"想要一个头盔{n}") for n in (1, 2)
            ]

        def _role(self, wish: MicroWish, user, action: str) -> str:
            """The role the table sees: the wish's author is its worker; anyone else pledging
            becomes a pledger; its active pledger, or the public, for the other moves."""
            if user.pk == wish.worker_id:
                return WORKER
            if action == "pledge":
                return PLEDGER
            pledged = WishPledge.objects.filter(wish=wish, pledger=user, state="active").exists()
            return PLEDGER if pledged else PUBLIC

        @rule(
            index=st.integers(0, 1),
            action=st.sampled_from(["pledge", "confirm", "withdraw", "give_up"]),
            who=st.sampled_from(["worker", "helper", "other"]),
        )
        def act(self, index, action, who):
            wish = MicroWish.objects.get(pk=self.wishes[index].pk)
            user = {"worker": w.worker_x, "helper": helper, "other": other}[who]
            role = self._role(wish, user, action)
            before, events = wish.state, MicroWishEvent.objects.filter(wish=wish).count()
            pledge = WishPledge.objects.filter(wish=wish, state="active").first()
            if action == "give_up":
                table, state = PLEDGE, pledge.state if pledge else "none"
                role = PLEDGER if pledge and pledge.pledger_id == user.pk else PUBLIC
            else:
                table, state = WISH, wish.state
            allowed_state = table.find(action, state) is not None
            named = role in table.by_action[action][0].actors
            try:
                if action == "pledge":
                    services.wish_pledge(
                        wish=wish, pledger=user, kind="volunteer", display_name="热心市民"
                    )
                elif action == "confirm":
                    services.wish_confirm(wish=wish, actor=user)
                elif action == "withdraw":
                    services.wish_withdraw(wish=wish, actor=user)
                elif pledge is None:
                    return  # nothing to give up: the page offers no button
                else:
                    services.pledge_withdraw(pledge=pledge, actor=user)
            except PermissionDenied as exc:
                assert not named, f"{role} was refused {action} from {state}"
                assert exc.code in REFUSED_ROLE
            except Conflict:
                assert named and not allowed_state, f"{role} {action} from {state}"
            except ApplicationError as exc:  # pragma: no cover - a failure names the code
                raise AssertionError(exc.code) from exc
            else:
                assert named and allowed_state, f"{role} took {action} from {state}"
                return
            wish.refresh_from_db()
            assert wish.state == before
            assert MicroWishEvent.objects.filter(wish=wish).count() == events

        @invariant()
        def one_active_pledge_exactly_when_pledged(self):
            for wish in MicroWish.objects.filter(pk__in=[x.pk for x in self.wishes]):
                active = WishPledge.objects.filter(wish=wish, state="active").count()
                assert active == (1 if wish.state == "pledged" else 0)

    WishRoles.TestCase.settings = MACHINE_SETTINGS
    WishRoles.TestCase("runTest").runTest()
