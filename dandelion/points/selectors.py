"""Every read of the points app."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from dandelion.core.permissions import scope_queryset

from .models import Account, EarningRule, Entry, Redemption, Reward, Transfer


def balance_of(*, user) -> int:
    return (
        Account.objects.filter(user=user, kind=Account.Kind.WORKER)
        .values_list("balance", flat=True)
        .first()
        or 0
    )


def points_history(*, user) -> QuerySet[Entry]:
    """The worker's entries, newest first, with the transfer that explains each."""
    return (
        Entry.objects.filter(account__user=user, account__kind=Account.Kind.WORKER)
        .select_related("transfer")
        .order_by("-id")
    )


def reward_list(*, region_code: str | None = None, available: bool = True) -> QuerySet[Reward]:
    """The shop: rewards on offer now (in their window, active), cheapest first."""
    now = timezone.now()
    qs = Reward.objects.select_related("station", "partner", "organisation", "region")
    if available:
        qs = qs.filter(is_active=True, valid_from__lte=now, valid_until__gt=now)
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    return qs.order_by("price", "id")


def reward_get(*, reward_id: int) -> Reward | None:
    return (
        Reward.objects.select_related("station", "partner", "organisation", "region")
        .filter(pk=reward_id)
        .first()
    )


def rewards_managed(*, actor) -> QuerySet[Reward]:
    qs = Reward.objects.select_related("station", "partner", "organisation", "region").annotate(
        issued=Count("redemptions", filter=Q(redemptions__status="issued")),
        fulfilled=Count("redemptions", filter=Q(redemptions__status="fulfilled")),
    )
    return scope_queryset(actor, "reward.view", qs).order_by("-id")


def redemptions_of(*, user) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(user=user)
        .select_related(
            "reward__station", "reward__partner", "reward__organisation", "reward__region"
        )
        .order_by("-created_at", "-id")
    )


def redemptions_for_staff(*, actor, status: str | None = None) -> QuerySet[Redemption]:
    qs = Redemption.objects.select_related(
        "reward__station", "reward__partner", "reward__organisation", "user", "fulfilled_by"
    )
    if status:
        qs = qs.filter(status=status)
    return scope_queryset(actor, "redemption.view", qs).order_by("-created_at", "-id")


def rules_managed(*, actor) -> QuerySet[EarningRule]:
    return scope_queryset(
        actor, "points.rule_manage", EarningRule.objects.select_related("region")
    ).order_by("region__code", "event")


@dataclass(frozen=True)
class LedgerProblem:
    kind: str  # "unbalanced_transfer" or "balance_mismatch"
    ref: int
    detail: str


def ledger_problems() -> list[LedgerProblem]:
    """What `points_check` reports: transfers whose entries do not sum to zero (or are not one
    debit and one credit of the transfer's amount), and accounts whose cached balance differs
    from the sum of their entries."""
    problems: list[LedgerProblem] = []
    transfers = Transfer.objects.annotate(
        total=Sum("entries__amount"),
        sides=Count("entries"),
        credited=Sum("entries__amount", filter=Q(entries__amount__gt=0)),
    ).filter(~Q(total=0) | ~Q(sides=2) | Q(total__isnull=True) | ~Q(credited=F("amount")))
    for t in transfers.values("pk", "total", "sides", "amount", "credited"):
        problems.append(
            LedgerProblem(
                "unbalanced_transfer",
                t["pk"],
                f"transfer {t['pk']}: {t['sides']} entries summing to {t['total']}, "
                f"credit {t['credited']} for amount {t['amount']}",
            )
        )
    accounts = (
        Account.objects.annotate(total=Sum("entries__amount"))
        .values("pk", "name", "kind", "balance", "total")
        .order_by("pk")
    )
    for a in accounts:
        total = a["total"] or 0
        if total != a["balance"]:
            problems.append(
                LedgerProblem(
                    "balance_mismatch",
                    a["pk"],
                    f"account {a['pk']} {a['name']} ({a['kind']}): balance {a['balance']}, "
                    f"entries sum to {total}",
                )
            )
        elif a["kind"] != Account.Kind.BUDGET and a["balance"] < 0:
            problems.append(
                LedgerProblem(
                    "negative_balance",
                    a["pk"],
                    f"account {a['pk']} {a['name']} ({a['kind']}): balance {a['balance']}",
                )
            )
    return problems
