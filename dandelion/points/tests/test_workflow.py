"""The redemption workflow: every move writes its event, only the roles the table names may
take each action, and no sequence of redeeming, fulfilling, cancelling and expiring by anyone
breaks the ledger or the stock."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dandelion.accounts.testing import client_for
from dandelion.core.errors import ApplicationError, CoreError, PermissionDenied
from dandelion.core.workflow import SYSTEM, transition
from dandelion.points.models import Redemption, RedemptionEvent, Reward, Transfer
from dandelion.points.selectors import balance_of, ledger_problems
from dandelion.points.services import (
    award_by_rule,
    redemption_cancel,
    redemption_fulfil,
    redemptions_expire,
    reward_redeem,
)
from dandelion.points.workflow import ALLOWED_MOVES, REDEMPTION, STAFF, WORKER

pytestmark = pytest.mark.django_db

ROLES = {WORKER, STAFF, SYSTEM}


def _reward(ledger, station, *, stock=3, limit=5) -> Reward:
    return Reward.objects.create(
        title="热饮",
        kind="drink",
        station=station,
        region=station.region,
        city_code="360400",
        price=10,
        stock=stock,
        per_person_limit=limit,
        valid_from=ledger.reward.valid_from,
        valid_until=ledger.reward.valid_until,
    )


def _fund(user, n: int) -> None:
    for i in range(n):
        award_by_rule(
            user=user,
            event="report_accepted",
            region_code="360403",
            source_key=f"wf:{user.pk}:{i}",
        )


def _history(redemption) -> list[tuple[str, str, str, str]]:
    return [
        (e.action, e.from_state, e.to_state, e.actor_role)
        for e in RedemptionEvent.objects.filter(redemption=redemption).order_by("id")
    ]


def test_every_move_writes_one_event(ledger, world):
    _fund(ledger.worker, 2)
    reward = _reward(ledger, world.station_x)
    fulfilled, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key="a")
    cancelled, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key="b")
    redemption_fulfil(code=fulfilled.code, actor=world.manager_x)
    redemption_cancel(redemption_id=cancelled.pk, actor=world.manager_x)
    assert _history(fulfilled) == [
        ("issue", "", "issued", WORKER),
        ("fulfil", "issued", "fulfilled", STAFF),
    ]
    assert _history(cancelled) == [
        ("issue", "", "issued", WORKER),
        ("cancel", "issued", "cancelled", STAFF),
    ]
    assert RedemptionEvent.objects.get(redemption=fulfilled, action="fulfil").actor == (
        world.manager_x
    )


def test_the_worker_cancels_their_own_and_the_system_expires(ledger):
    _fund(ledger.worker, 2)
    mine, _ = reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="a")
    late, _ = reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="b")
    redemption_cancel(redemption_id=mine.pk, actor=ledger.worker)
    Redemption.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert redemptions_expire() == 1
    assert _history(mine)[-1] == ("cancel", "issued", "cancelled", WORKER)
    assert _history(late)[-1] == ("expire", "issued", "expired", SYSTEM)
    assert RedemptionEvent.objects.get(redemption=late, action="expire").actor is None


@pytest.mark.parametrize(
    ("action", "role"),
    [(t.action, role) for t in REDEMPTION.transitions for role in sorted(ROLES - t.actors)],
)
def test_a_role_the_table_does_not_name_is_refused(ledger, world, action, role):
    _fund(ledger.worker, 1)
    reward = _reward(ledger, world.station_x)
    redemption, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key="r")
    # Even a superuser: the table decides which roles take an action, not the permission.
    with pytest.raises(PermissionDenied) as caught:
        transition(
            REDEMPTION,
            redemption,
            action,
            actor=None if role == SYSTEM else ledger.admin,
            actor_role=role,
            event_model=RedemptionEvent,
            event_fk="redemption",
        )
    assert caught.value.code == CoreError.ACTOR_NOT_ALLOWED
    redemption.refresh_from_db()
    assert redemption.status == "issued" and len(_history(redemption)) == 1


def test_every_role_the_table_names_is_a_known_one():
    assert all(t.actors <= ROLES for t in REDEMPTION.transitions)
    assert {target for _source, target in ALLOWED_MOVES} <= set(Redemption.Status.values)


def test_no_sequence_of_actions_breaks_the_ledger_or_the_stock(ledger, world, make_worker):
    other = make_worker(name="骑手乙", phone="13700000002")
    workers = {"worker": ledger.worker, "other": other}
    people = {**workers, "manager_x": world.manager_x, "manager_l": world.manager_l}
    examples = iter(range(1_000))

    def awarded(user) -> int:
        awards = Transfer.objects.filter(credit__user=user, reason=Transfer.Reason.AWARD)
        return awards.aggregate(total=Sum("amount"))["total"] or 0

    class RedemptionMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            # Each example gets its own reward and 40 more points per worker.
            example = next(examples)
            for user in workers.values():
                for i in range(2):
                    award_by_rule(
                        user=user,
                        event="report_accepted",
                        region_code="360403",
                        source_key=f"wf:{example}:{user.pk}:{i}",
                    )
            self.reward = _reward(ledger, world.station_x, stock=3, limit=3)
            self.keys = 0
            self.codes: list[Redemption] = []

        @rule(who=st.sampled_from(sorted(workers)))
        def redeem(self, who):
            self.keys += 1
            try:
                redemption, _ = reward_redeem(
                    reward_id=self.reward.pk,
                    user=workers[who],
                    idempotency_key=f"{self.reward.pk}:{self.keys}",
                )
            except ApplicationError:
                return
            self.codes.append(redemption)

        @rule(index=st.integers(0, 9), who=st.sampled_from(sorted(people)))
        def fulfil(self, index, who):
            if not self.codes:
                return
            redemption = self.codes[index % len(self.codes)]
            before = len(_history(redemption))
            try:
                redemption_fulfil(code=redemption.code, actor=people[who])
            except ApplicationError:
                assert len(_history(redemption)) == before, "a refused move wrote an event"

        @rule(index=st.integers(0, 9), who=st.sampled_from(sorted(people)))
        def cancel(self, index, who):
            if not self.codes:
                return
            redemption = self.codes[index % len(self.codes)]
            before = len(_history(redemption))
            try:
                redemption_cancel(redemption_id=redemption.pk, actor=people[who])
            except ApplicationError:
                assert len(_history(redemption)) == before, "a refused move wrote an event"

        @rule(index=st.integers(0, 9))
        def expire(self, index):
            if not self.codes:
                return
            redemption = self.codes[index % len(self.codes)]
            Redemption.objects.filter(pk=redemption.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            redemptions_expire()

        @invariant()
        def ledger_stock_and_history_agree(self):
            assert ledger_problems() == []
            reward = Reward.objects.get(pk=self.reward.pk)
            live = Redemption.objects.filter(status__in=["issued", "fulfilled"])
            assert reward.stock + live.filter(reward=reward).count() == 3, "a unit went astray"
            for user in workers.values():
                spent = sum(r.price for r in live.filter(user=user))
                assert balance_of(user=user) == awarded(user) - spent
            for redemption in Redemption.objects.filter(reward=reward):
                chain = ""
                for action, source, target, role in _history(redemption):
                    assert (source, target) in ALLOWED_MOVES
                    assert source == chain, "events do not chain"
                    assert action == "issue" or role in REDEMPTION.by_action[action][0].actors
                    chain = target
                assert chain == redemption.status

    RedemptionMachine.TestCase.settings = settings(
        max_examples=10,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    RedemptionMachine.TestCase("runTest").runTest()


def test_the_admin_shows_a_redemptions_history(ledger, world):
    _fund(ledger.worker, 1)
    reward = _reward(ledger, world.station_x)
    redemption, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key="h")
    redemption_fulfil(code=redemption.code, actor=world.manager_x)
    page = client_for(ledger.admin).get(f"/admin/points/redemption/{redemption.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "fulfil" in html and "issue" in html


def test_the_backfill_writes_the_history_the_services_write(ledger, world):
    backfill = importlib.import_module(
        "dandelion.points.migrations.0003_redemption_events_backfill"
    ).backfill
    _fund(ledger.worker, 4)
    reward = _reward(ledger, world.station_x, stock=5)
    codes = [
        reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key=f"b{i}")[0]
        for i in range(4)
    ]
    redemption_fulfil(code=codes[0].code, actor=world.manager_x)
    redemption_cancel(redemption_id=codes[1].pk, actor=ledger.worker)
    redemption_cancel(redemption_id=codes[2].pk, actor=world.manager_x)
    Redemption.objects.filter(pk=codes[3].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    redemptions_expire()

    def histories():
        return {
            code.pk: [
                (e.action, e.from_state, e.to_state, e.actor_id, e.actor_role)
                for e in RedemptionEvent.objects.filter(redemption=code).order_by("id")
            ]
            for code in codes
        }

    written = histories()
    RedemptionEvent.objects.all().delete()
    backfill(django_apps, None)
    assert histories() == written
