"""Every read of the points app."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.permissions import require, scope_queryset
from dandelion.orgs.selectors import merchants_active
from dandelion.stations.selectors import partners_not_closed, stations_not_closed

from .errors import PointsError
from .models import Account, EarningRule, Entry, Redemption, Reward, Transfer

REWARD_RELATED = ("station", "partner", "organisation", "region")


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
    qs = Reward.objects.select_related(*REWARD_RELATED)
    if available:
        qs = qs.filter(is_active=True, valid_from__lte=now, valid_until__gt=now)
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    return qs.order_by("price", "id")


def reward_get(*, reward_id: int) -> Reward | None:
    return Reward.objects.select_related(*REWARD_RELATED).filter(pk=reward_id).first()


def reward_find(*, reward_id: int) -> Reward:
    """The reward, or `NotFound`."""
    reward = reward_get(reward_id=reward_id)
    if reward is None:
        raise NotFound(
            _("没有这个兑换商品。"), code=CoreError.NOT_FOUND, extra={"entity": "reward"}
        )
    return reward


def issued_count(*, user) -> int:
    """The worker's codes waiting to be claimed (the badge on "my codes")."""
    return Redemption.objects.filter(user=user, status=Redemption.Status.ISSUED).count()


def rewards_managed(*, actor) -> QuerySet[Reward]:
    """The rewards the actor may see in the console, with their issued and fulfilled counts;
    `PermissionDenied` for someone whose roles see no rewards anywhere."""
    require(actor, "reward.view")
    qs = Reward.objects.select_related(*REWARD_RELATED).annotate(
        issued=Count("redemptions", filter=Q(redemptions__status="issued")),
        fulfilled=Count("redemptions", filter=Q(redemptions__status="fulfilled")),
    )
    return scope_queryset(actor, "reward.view", qs).order_by("-id")


def reward_for_change(*, actor, reward_id: int) -> Reward:
    """A reward the actor may change: `NotFound` outside what they see, `PermissionDenied`
    for one they see but may not change."""
    reward = (
        scope_queryset(actor, "reward.view", Reward.objects.select_related(*REWARD_RELATED))
        .filter(pk=reward_id)
        .first()
    )
    if reward is None:
        raise NotFound(
            _("没有这个兑换商品。"), code=CoreError.NOT_FOUND, extra={"entity": "reward"}
        )
    require(actor, "reward.manage", reward)
    return reward


@dataclass(frozen=True)
class RewardProviders:
    """Who the actor may offer rewards for: stations, partner places, merchants."""

    stations: QuerySet
    partners: QuerySet
    merchants: QuerySet


def reward_providers(*, actor) -> RewardProviders:
    """The stations, partner places and merchants the actor may offer rewards for (their
    `reward.manage` scopes); `PermissionDenied` for someone who may offer none anywhere."""
    require(actor, "reward.manage")
    return RewardProviders(
        stations=scope_queryset(actor, "reward.manage", stations_not_closed()).order_by("name"),
        partners=scope_queryset(actor, "reward.manage", partners_not_closed()).order_by("name"),
        merchants=scope_queryset(actor, "reward.manage", merchants_active()).order_by("name"),
    )


PROVIDER_KINDS = {"station": "stations", "partner": "partners", "merchant": "merchants"}
PROVIDER_FIELDS = {"station": "station", "partner": "partner", "merchant": "organisation"}


def reward_provider(*, actor, choice: str) -> dict:
    """`station:12`, `partner:3` or `merchant:7` as the keyword `reward_create` takes
    (`{"station": <Station>}`), among the providers the actor may offer rewards for."""
    kind, _sep, pk = (choice or "").partition(":")
    found = None
    if kind in PROVIDER_KINDS and pk.isdigit():
        providers = reward_providers(actor=actor)
        found = getattr(providers, PROVIDER_KINDS[kind]).filter(pk=int(pk)).first()
    if found is None:
        message = _("请选择提供方。")
        raise InvalidInput(
            message,
            code=PointsError.PROVIDER_REQUIRED,
            errors=[field_error("provider", PointsError.PROVIDER_REQUIRED, message)],
        )
    return {PROVIDER_FIELDS[kind]: found}


def redemptions_of(*, user) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(user=user)
        .select_related(
            "reward__station", "reward__partner", "reward__organisation", "reward__region"
        )
        .order_by("-created_at", "-id")
    )


def redemption_by_code(*, code: str) -> Redemption:
    """The redemption with `code` (as typed: case and separators do not matter), or
    `NotFound`."""
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    found = (
        Redemption.objects.select_related(
            "reward__station", "reward__partner", "reward__organisation", "reward__region", "user"
        )
        .filter(code=normalised)
        .first()
    )
    if found is None:
        raise NotFound(
            _("没有这个兑换码。"), code=CoreError.NOT_FOUND, extra={"entity": "redemption"}
        )
    return found


def redemptions_for_staff(*, actor, status: str | None = None) -> QuerySet[Redemption]:
    qs = Redemption.objects.select_related(
        "reward__station", "reward__partner", "reward__organisation", "user", "fulfilled_by"
    )
    if status:
        qs = qs.filter(status=status)
    return scope_queryset(actor, "redemption.view", qs).order_by("-created_at", "-id")


def fulfilment_desk(*, actor, code: str, recent: int = 10) -> tuple[Redemption | None, list]:
    """What the fulfilment page (核销) shows: the redemption with `code` among those the actor
    sees (None when there is none), and the last codes fulfilled there. `PermissionDenied` for
    someone who may fulfil codes nowhere."""
    require(actor, "redemption.fulfil")
    found = None
    if code:
        found = redemptions_for_staff(actor=actor).filter(code=code).first()
    done = list(redemptions_for_staff(actor=actor, status=Redemption.Status.FULFILLED)[:recent])
    return found, done


def transfer_for_reversal(*, actor, transfer_id: int) -> Transfer:
    """A transfer the actor may correct (`points.award` over one of its accounts' regions):
    `NotFound` when there is none, `PermissionDenied` when it is outside their regions."""
    transfer = Transfer.objects.select_related("debit", "credit").filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(_("没有这笔转账。"), code=CoreError.NOT_FOUND, extra={"entity": "transfer"})
    require(actor, "points.award", transfer)
    return transfer


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
