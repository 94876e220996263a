"""The ledger: transfers write two entries summing to zero, balances follow, entries are
append-only, worker balances never go negative, corrections are reversals."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dandelion.core.errors import Conflict, InvalidInput
from dandelion.points.models import Account, Entry, Transfer
from dandelion.points.selectors import ledger_problems
from dandelion.points.services import (
    issuer_account,
    transfer_make,
    transfer_reverse,
    worker_account,
)

pytestmark = pytest.mark.django_db


def test_a_transfer_writes_two_entries_that_sum_to_zero(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    transfer, created = transfer_make(
        debit=issuer, credit=wallet, amount=30, reason="award", source_key="t:1"
    )
    assert created
    entries = list(transfer.entries.order_by("amount"))
    assert [e.amount for e in entries] == [-30, 30]
    assert [e.account_id for e in entries] == [issuer.pk, wallet.pk]
    wallet.refresh_from_db()
    issuer.refresh_from_db()
    assert wallet.balance == 30 and entries[1].balance_after == 30
    assert issuer.balance == 100_000 - 30
    assert ledger_problems() == []


def test_the_same_source_key_moves_points_once(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    first, _ = transfer_make(debit=issuer, credit=wallet, amount=5, reason="award", source_key="k")
    again, created = transfer_make(
        debit=issuer, credit=wallet, amount=5, reason="award", source_key="k"
    )
    assert not created and again.pk == first.pk
    assert Transfer.objects.filter(source_key="k").count() == 1
    wallet.refresh_from_db()
    assert wallet.balance == 5


def test_a_worker_cannot_spend_more_than_they_have(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    transfer_make(debit=issuer, credit=wallet, amount=5, reason="award", source_key="a")
    with pytest.raises(Conflict) as caught:
        transfer_make(debit=wallet, credit=issuer, amount=6, reason="award", source_key="b")
    assert caught.value.code == "insufficient_points"
    assert caught.value.extra["balance"] == 5
    assert not Transfer.objects.filter(source_key="b").exists()


def test_the_database_refuses_a_negative_worker_balance(ledger):
    wallet = worker_account(user=ledger.worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(balance=-1)


def test_entries_are_never_updated_or_deleted(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    transfer, _ = transfer_make(
        debit=issuer, credit=wallet, amount=5, reason="award", source_key="c"
    )
    entry = transfer.entries.first()
    entry.amount = 500
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        Entry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TypeError):
        Entry.objects.all().delete()


def test_bad_transfers_are_refused(ledger):
    wallet = worker_account(user=ledger.worker)
    issuer = issuer_account(region=ledger.region)
    with pytest.raises(InvalidInput):
        transfer_make(debit=issuer, credit=wallet, amount=0, reason="award", source_key="z")
    with pytest.raises(InvalidInput):
        transfer_make(debit=wallet, credit=wallet, amount=1, reason="award", source_key="z")


def test_a_reversal_moves_the_points_back_once_with_a_reason(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    transfer, _ = transfer_make(
        debit=issuer, credit=wallet, amount=8, reason="award", source_key="r"
    )
    with pytest.raises(InvalidInput):
        transfer_reverse(transfer=transfer, memo=" ")
    reversal = transfer_reverse(transfer=transfer, memo="重复发放", actor=ledger.admin)
    assert reversal.reverses == transfer and reversal.reason == "reversal"
    wallet.refresh_from_db()
    assert wallet.balance == 0
    with pytest.raises(Conflict) as caught:
        transfer_reverse(transfer=transfer, memo="again")
    assert caught.value.code == "already_reversed"
    with pytest.raises(Conflict):
        transfer_reverse(transfer=reversal, memo="undo the undo")
    assert ledger_problems() == []


def test_a_reversal_cannot_take_spent_points(ledger):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    award, _ = transfer_make(debit=issuer, credit=wallet, amount=8, reason="award", source_key="s")
    transfer_make(debit=wallet, credit=issuer, amount=5, reason="award", source_key="spend")
    with pytest.raises(Conflict) as caught:
        transfer_reverse(transfer=award, memo="误发")
    assert caught.value.code == "insufficient_points"


def test_points_check_names_the_broken_accounts(ledger, capsys):
    issuer = issuer_account(region=ledger.region)
    wallet = worker_account(user=ledger.worker)
    transfer_make(debit=issuer, credit=wallet, amount=8, reason="award", source_key="p")
    call_command("points_check")
    assert "all balances match" in capsys.readouterr().out
    # Someone edits a balance behind the service's back.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE points_account SET balance = balance + 3 WHERE id = %s", [wallet.pk])
    with pytest.raises(CommandError):
        call_command("points_check")
    err = capsys.readouterr().err
    assert f"account {wallet.pk}" in err and "balance 11, entries sum to 8" in err


def test_points_check_finds_a_one_sided_transfer(ledger, capsys):
    wallet = worker_account(user=ledger.worker)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO points_transfer (reason, source_key, debit_id, credit_id, amount, event,"
            " occurred_at, memo, created_at) VALUES ('award', 'forged', %s, %s, 5, '', %s, '', %s)",
            [
                issuer_account(region=ledger.region).pk,
                wallet.pk,
                "2025-01-01 00:00:00",
                "2025-01-01 00:00:00",
            ],
        )
    problems = ledger_problems()
    assert [p.kind for p in problems] == ["unbalanced_transfer"]
    with pytest.raises(CommandError):
        call_command("points_check")


# Operations on three workers and the issuer: (kind, a, b, amount).
operations = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(0, 2), st.just(0), st.integers(1, 50)),
        st.tuples(st.just("pay"), st.integers(0, 2), st.integers(0, 2), st.integers(1, 60)),
        st.tuples(st.just("spend"), st.integers(0, 2), st.just(0), st.integers(1, 60)),
        st.tuples(st.just("reverse"), st.integers(0, 40), st.just(0), st.just(0)),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_ledger_invariants_hold_for_any_sequence(ledger, make_worker, ops):
    """Whatever happens: entries of each transfer sum to zero, every cached balance equals its
    entries and the model's expectation, no worker goes below zero, and a refused operation
    changes nothing."""
    with transaction.atomic():
        workers = [worker_account(user=ledger.worker)] + [
            worker_account(user=make_worker(name=f"w{i}")) for i in range(2)
        ]
        issuer = issuer_account(region=ledger.region)
        expected = {w.pk: 0 for w in workers}
        issuer_start = issuer.balance
        made: list[Transfer] = []
        for n, (kind, a, b, amount) in enumerate(ops):
            try:
                if kind == "award":
                    t, _ = transfer_make(
                        debit=issuer,
                        credit=workers[a],
                        amount=amount,
                        reason="award",
                        source_key=f"h{n}",
                    )
                    expected[workers[a].pk] += amount
                elif kind == "pay" and a != b:
                    t, _ = transfer_make(
                        debit=workers[a],
                        credit=workers[b],
                        amount=amount,
                        reason="award",
                        source_key=f"h{n}",
                    )
                    expected[workers[a].pk] -= amount
                    expected[workers[b].pk] += amount
                elif kind == "spend":
                    t, _ = transfer_make(
                        debit=workers[a],
                        credit=issuer,
                        amount=amount,
                        reason="award",
                        source_key=f"h{n}",
                    )
                    expected[workers[a].pk] -= amount
                elif kind == "reverse" and made:
                    target = made[a % len(made)]
                    t = transfer_reverse(transfer=target, memo="更正")
                    for pk, delta in (
                        (target.debit_id, target.amount),
                        (target.credit_id, -target.amount),
                    ):
                        if pk in expected:
                            expected[pk] += delta
                else:
                    continue
                made.append(t)
            except Conflict as exc:
                assert exc.code in {
                    "insufficient_points",
                    "already_reversed",
                    "reversal_of_reversal",
                }
        assert ledger_problems() == []
        balances = dict(Account.objects.filter(pk__in=expected).values_list("pk", "balance"))
        assert balances == expected
        assert all(b >= 0 for b in balances.values())
        issuer.refresh_from_db()
        assert issuer.balance - issuer_start == -sum(expected.values())
        transaction.set_rollback(True)
