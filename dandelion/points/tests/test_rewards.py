"""Redeeming rewards: price, stock, limits, idempotency, fulfilment by the provider's staff,
cancellation and expiry with refunds."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.points.models import Redemption, Reward
from dandelion.points.selectors import balance_of, ledger_problems
from dandelion.points.services import (
    award_by_rule,
    redemption_cancel,
    redemption_fulfil,
    redemptions_expire,
    reward_create,
    reward_redeem,
    reward_update,
)

pytestmark = pytest.mark.django_db


def _fund(ledger, user, n=1):
    for i in range(n):
        award_by_rule(
            user=user,
            event="report_accepted",
            region_code="360403",
            source_key=f"fund:{user.pk}:{i}",
        )


def test_redeeming_charges_the_price_and_takes_one_unit(ledger):
    _fund(ledger, ledger.worker)  # 20 points
    redemption, created = reward_redeem(
        reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="k1"
    )
    assert created and redemption.status == "issued" and len(redemption.code) == 8
    assert balance_of(user=ledger.worker) == 10
    ledger.reward.refresh_from_db()
    assert ledger.reward.stock == 2
    assert redemption.charge.credit.station == ledger.station
    assert redemption.expires_at == redemption.created_at + timedelta(days=7)
    assert ledger_problems() == []


def test_the_same_key_returns_the_same_redemption_and_charges_once(ledger):
    _fund(ledger, ledger.worker)
    first, _ = reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="k")
    again, created = reward_redeem(
        reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="k"
    )
    assert not created and again.pk == first.pk
    assert balance_of(user=ledger.worker) == 10
    ledger.reward.refresh_from_db()
    assert ledger.reward.stock == 2


def test_the_same_key_for_another_reward_is_a_conflict(ledger):
    _fund(ledger, ledger.worker, 2)
    reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="k")
    other = Reward.objects.create(
        title="毛巾",
        kind="daily_goods",
        station=ledger.station,
        region=ledger.station.region,
        city_code="360400",
        price=5,
        stock=5,
        valid_from=ledger.reward.valid_from,
        valid_until=ledger.reward.valid_until,
    )
    with pytest.raises(Conflict) as caught:
        reward_redeem(reward_id=other.pk, user=ledger.worker, idempotency_key="k")
    assert caught.value.code == "idempotency_key_reused"


def test_not_enough_points_takes_no_stock(ledger):
    with pytest.raises(Conflict) as caught:
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="k")
    assert caught.value.code == "insufficient_points"
    ledger.reward.refresh_from_db()
    assert ledger.reward.stock == 3 and not Redemption.objects.exists()


def test_stock_runs_out(ledger, make_worker):
    ledger.reward.stock = 1
    ledger.reward.save()
    other = make_worker(name="乙")
    _fund(ledger, ledger.worker)
    _fund(ledger, other)
    reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="a")
    with pytest.raises(Conflict) as caught:
        reward_redeem(reward_id=ledger.reward.pk, user=other, idempotency_key="b")
    assert caught.value.code == "out_of_stock"
    assert balance_of(user=other) == 20


def test_the_per_person_limit_counts_live_redemptions(ledger):
    _fund(ledger, ledger.worker, 2)  # 40 points; limit 2
    first, _ = reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="1")
    reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="2")
    with pytest.raises(Conflict) as caught:
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="3")
    assert caught.value.code == "per_person_limit"
    redemption_cancel(redemption_id=first.pk, actor=ledger.worker)
    reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="4")


def test_outside_the_window_or_inactive_is_refused(ledger):
    _fund(ledger, ledger.worker)
    with (
        time_machine.travel(ledger.reward.valid_until + timedelta(seconds=1)),
        pytest.raises(Conflict) as caught,
    ):
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="x")
    assert caught.value.code == "reward_not_in_window"
    ledger.reward.is_active = False
    ledger.reward.save()
    with pytest.raises(Conflict):
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="y")
    with pytest.raises(NotFound):
        reward_redeem(reward_id=999999, user=ledger.worker, idempotency_key="y")
    with pytest.raises(InvalidInput):
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="")


def test_the_station_manager_fulfils_once(ledger, world):
    reward = Reward.objects.create(
        title="热饮",
        kind="drink",
        station=world.station_x,
        region=world.station_x.region,
        city_code="360400",
        price=10,
        stock=5,
        valid_from=ledger.reward.valid_from,
        valid_until=ledger.reward.valid_until,
    )
    _fund(ledger, ledger.worker)
    redemption, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key="f")
    # Another station's manager: no such code, as for an unknown one; a worker: no right to
    # fulfil anything.
    with pytest.raises(NotFound) as elsewhere:
        redemption_fulfil(code=redemption.code, actor=world.manager_l)
    with pytest.raises(NotFound) as unknown:
        redemption_fulfil(code="NOPE2345", actor=world.manager_l)
    assert (elsewhere.value.code, str(elsewhere.value), elsewhere.value.extra) == (
        unknown.value.code,
        str(unknown.value),
        unknown.value.extra,
    )
    with pytest.raises(PermissionDenied):
        redemption_fulfil(code=redemption.code, actor=ledger.worker)
    with pytest.raises(PermissionDenied):
        redemption_fulfil(code="NOPE2345", actor=ledger.worker)
    done = redemption_fulfil(
        code=redemption.code.lower()[:4] + "-" + redemption.code[4:], actor=world.manager_x
    )
    assert done.status == "fulfilled" and done.fulfilled_by == world.manager_x
    with pytest.raises(Conflict) as caught:
        redemption_fulfil(code=redemption.code, actor=world.manager_x)
    assert caught.value.code == "illegal_transition"
    assert caught.value.extra["entity"] == "redemption"
    assert caught.value.extra["state"] == "fulfilled"
    with pytest.raises(NotFound):
        redemption_fulfil(code="NOPE2345", actor=world.manager_x)


def test_cancelling_refunds_points_and_stock(ledger, make_worker):
    _fund(ledger, ledger.worker)
    redemption, _ = reward_redeem(
        reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="c"
    )
    stranger = make_worker(name="路人")
    with pytest.raises(NotFound):
        redemption_cancel(redemption_id=redemption.pk, actor=stranger)
    cancelled = redemption_cancel(redemption_id=redemption.pk, actor=ledger.worker)
    assert cancelled.status == "cancelled" and cancelled.refund.amount == 10
    assert balance_of(user=ledger.worker) == 20
    ledger.reward.refresh_from_db()
    assert ledger.reward.stock == 3
    with pytest.raises(Conflict):
        redemption_cancel(redemption_id=redemption.pk, actor=ledger.worker)
    assert ledger_problems() == []


def test_unclaimed_codes_expire_and_are_refunded_once(ledger):
    _fund(ledger, ledger.worker)
    redemption, _ = reward_redeem(
        reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="e"
    )
    assert redemptions_expire() == 0
    with time_machine.travel(redemption.expires_at + timedelta(minutes=1)):
        assert redemptions_expire() == 1
        assert redemptions_expire() == 0
        with pytest.raises(Conflict) as caught:
            redemption_fulfil(code=redemption.code, actor=ledger.admin)
        assert caught.value.code == "illegal_transition"
        assert caught.value.extra["state"] == "expired"
    redemption.refresh_from_db()
    assert redemption.status == "expired"
    from dandelion.notifications.models import Notification

    assert (
        Notification.objects.filter(
            recipient=ledger.worker, kind="points.redemption_expired"
        ).count()
        == 1
    )
    assert balance_of(user=ledger.worker) == 20
    ledger.reward.refresh_from_db()
    assert ledger.reward.stock == 3
    assert ledger_problems() == []


def test_a_code_past_its_deadline_cannot_be_fulfilled_before_the_job_runs(ledger):
    _fund(ledger, ledger.worker)
    redemption, _ = reward_redeem(
        reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="d"
    )
    with (
        time_machine.travel(redemption.expires_at + timedelta(seconds=1)),
        pytest.raises(Conflict) as caught,
    ):
        redemption_fulfil(code=redemption.code, actor=ledger.admin)
    assert caught.value.code == "illegal_transition"
    assert caught.value.extra["state"] == "expired"
    redemption.refresh_from_db()
    assert redemption.status == "issued" and not redemption.events.exclude(action="issue")


def test_rewards_are_created_and_changed_by_their_providers_staff(ledger, world):
    now = timezone.now()
    fields = {
        "title": "理发券",
        "kind": "other",
        "price": 30,
        "stock": 4,
        "valid_from": now,
        "valid_until": now + timedelta(days=10),
    }
    with pytest.raises(PermissionDenied):
        reward_create(actor=world.manager_l, station=world.station_x, **fields)
    reward = reward_create(actor=world.manager_x, station=world.station_x, **fields)
    assert reward.region == world.station_x.region and reward.city_code == "360400"
    with pytest.raises(InvalidInput) as caught:
        reward_update(actor=world.manager_x, reward=reward, changes={"price": 0})
    assert caught.value.errors[0]["field"] == "price"
    updated = reward_update(actor=world.manager_x, reward=reward, changes={"stock": 9})
    assert updated.stock == 9
    with pytest.raises(PermissionDenied):
        reward_update(actor=world.admin_l, reward=reward, changes={"stock": 1})
    with pytest.raises(InvalidInput):
        reward_create(actor=world.admin_x, **fields)
