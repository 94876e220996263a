"""Real parallel connections: threads, each with its own database connection, all released at
once. On PostgreSQL they race for row locks; on SQLite (a WAL file, IMMEDIATE transactions)
writers queue on the busy timeout. The answers must be the same on both."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dandelion.core.errors import Conflict
from dandelion.points.models import Entry, Redemption, RedemptionEvent, Reward, Transfer
from dandelion.points.selectors import ledger_problems
from dandelion.points.services import (
    award_by_rule,
    redemption_cancel,
    redemptions_expire,
    reward_redeem,
    worker_account,
)

from .concurrency import in_thread, run_parallel, shared_database

# serialized_rollback like the browser tests: the flush after a transactional test must not
# re-create content types under a browser test that restores the migrated rows next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _funded_workers(ledger, make_worker, n):
    workers = []
    for i in range(n):
        worker = make_worker(name=f"并发{i}", phone=f"1360000{i:04d}")
        award_by_rule(
            user=worker, event="report_accepted", region_code="360403", source_key=f"seed:{i}"
        )
        worker_account(user=worker)
        workers.append(worker)
    return workers


def test_fifty_simultaneous_redemptions_of_ten_in_stock(ledger, make_worker, tmp_path):
    Reward.objects.filter(pk=ledger.reward.pk).update(stock=10, per_person_limit=1)
    workers = _funded_workers(ledger, make_worker, 50)  # 20 points each, price 10

    with shared_database(tmp_path):
        results = run_parallel(
            lambda i: reward_redeem(
                reward_id=ledger.reward.pk, user=workers[i], idempotency_key=f"buy-{i}"
            ),
            50,
        )
        ok = [r for kind, r in results if kind == "ok"]
        refused = [r for kind, r in results if kind == "error"]
        assert len(ok) == 10
        assert all(isinstance(e, Conflict) and e.code == "out_of_stock" for e in refused), refused

        def check():
            reward = Reward.objects.get(pk=ledger.reward.pk)
            return (
                reward.stock,
                Redemption.objects.count(),
                Transfer.objects.filter(reason="redemption").count(),
                ledger_problems(),
            )

        stock, redemptions, charges, problems = in_thread(check)
        assert (stock, redemptions, charges, problems) == (0, 10, 10, [])
        in_thread(lambda: call_command("points_check"))


def test_a_hundred_simultaneous_awards_with_one_key(ledger, tmp_path):
    worker_account(user=ledger.worker)
    with shared_database(tmp_path):
        results = run_parallel(
            lambda i: award_by_rule(
                user=ledger.worker,
                event="report_accepted",
                region_code="360403001",
                source_key="report_accepted:4242",
            ),
            100,
        )
        errors = [r for kind, r in results if kind == "error"]
        assert errors == []
        created = [r for _, r in results if r.created]
        assert len(created) == 1
        assert {r.transfer.pk for _, r in results} == {created[0].transfer.pk}

        def check():
            transfer = Transfer.objects.get(source_key="report_accepted:4242")
            return (
                Entry.objects.filter(transfer=transfer).count(),
                Entry.objects.filter(account__user=ledger.worker).count(),
                worker_account(user=ledger.worker).balance,
                ledger_problems(),
            )

        assert in_thread(check) == (2, 1, 20, [])
        in_thread(lambda: call_command("points_check"))


def test_one_idempotency_key_sent_twenty_times_at_once_charges_once(ledger, tmp_path):
    award_by_rule(
        user=ledger.worker, event="report_accepted", region_code="360403", source_key="seed"
    )
    with shared_database(tmp_path):
        results = run_parallel(
            lambda i: reward_redeem(
                reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key="same-tap"
            ),
            20,
        )
        assert [kind for kind, _ in results] == ["ok"] * 20
        assert len({r[0].pk for _, r in results}) == 1
        assert sum(1 for _, r in results if r[1]) == 1

        def check():
            return (
                worker_account(user=ledger.worker).balance,
                Reward.objects.get(pk=ledger.reward.pk).stock,
                ledger_problems(),
            )

        assert in_thread(check) == (10, 2, [])


def test_expiry_runners_and_cancellations_at_once_refund_each_code_once(
    ledger, make_worker, tmp_path
):
    Reward.objects.filter(pk=ledger.reward.pk).update(stock=10, per_person_limit=1)
    workers = _funded_workers(ledger, make_worker, 5)
    codes = [
        reward_redeem(reward_id=ledger.reward.pk, user=w, idempotency_key=f"late-{i}")[0]
        for i, w in enumerate(workers)
    ]
    Redemption.objects.filter(pk__in=[c.pk for c in codes]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    def act(i):
        if i % 2:
            return redemptions_expire()
        code = codes[(i // 2) % len(codes)]
        return redemption_cancel(redemption_id=code.pk, actor=code.user)

    with shared_database(tmp_path):
        results = run_parallel(act, 20)
        errors = [r for kind, r in results if kind == "error"]
        assert all(isinstance(e, Conflict) and e.code == "illegal_transition" for e in errors), (
            errors
        )

        def check():
            return (
                sorted(set(Redemption.objects.values_list("status", flat=True))),
                Transfer.objects.filter(reason="refund").count(),
                Reward.objects.get(pk=ledger.reward.pk).stock,
                sorted(RedemptionEvent.objects.values_list("redemption_id", flat=True))
                == sorted([c.pk for c in codes] * 2),
                [worker_account(user=w).balance for w in workers],
                ledger_problems(),
            )

        statuses, refunds, stock, two_events_each, balances, problems = in_thread(check)
        assert set(statuses) <= {"cancelled", "expired"}
        assert (refunds, stock, two_events_each, balances, problems) == (
            5,
            10,
            True,
            [20] * 5,
            [],
        )
