"""Every read of the points app."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.permissions import get_scoped, require, scope_queryset
from dandelion.orgs.selectors import merchants_active
from dandelion.stations.selectors import partners_not_closed, stations_not_closed

from .errors import PointsError
from .models import Account, EarningRule, Entry, Redemption, Reward, Transfer

REWARD_RELATED = ("station", "partner", "organisation", "region")
REDEMPTION_RELATED = (*(f"reward__{name}" for name in REWARD_RELATED), "user")


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


def code_normalise(code: str) -> str:
    """A code as typed or scanned: case and separators do not matter (`abcd-2345`)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def redemption_to_fulfil(*, actor, code: str) -> Redemption:
    """The redemption with `code` that the actor may hand over (核销), in any state (the move
    itself says why a used, expired or cancelled code cannot be fulfilled).

    A refusal tells nobody which codes exist. Someone whose roles fulfil codes nowhere (a
    worker, an auditor) gets `PermissionDenied` (403) for any code, before it is looked up.
    Someone who may fulfil codes somewhere (a station manager, a merchant's staff, a region
    admin) gets the one `NotFound` (404, `not_found`, entity `redemption`) for a code of
    another provider exactly as for a code that does not exist: same message, same members.
    An empty code is `required` (422) once the role is established."""
    require(actor, "redemption.fulfil")
    normalised = code_normalise(code)
    if not normalised:
        message = _("请输入兑换码。")
        raise InvalidInput(
            message,
            code=CoreError.REQUIRED,
            errors=[field_error("code", CoreError.REQUIRED, message)],
        )
    found = (
        scope_queryset(
            actor,
            "redemption.fulfil",
            Redemption.objects.select_related(*REDEMPTION_RELATED, "fulfilled_by"),
        )
        .filter(code=normalised)
        .first()
    )
    if found is None:
        raise NotFound(
            _("没有找到这个兑换码，或它不属于你负责的驿站或商户。"),
            code=CoreError.NOT_FOUND,
            extra={"entity": "redemption"},
        )
    return found


def fulfilments_recent(*, actor, limit: int = 10) -> list[Redemption]:
    """The last codes fulfilled where the actor may fulfil them (the fulfilment page, 核销);
    `PermissionDenied` for someone who may fulfil codes nowhere."""
    require(actor, "redemption.fulfil")
    fulfilled = Redemption.objects.filter(status=Redemption.Status.FULFILLED).select_related(
        "reward__station", "reward__partner", "reward__organisation", "user", "fulfilled_by"
    )
    return list(
        scope_queryset(actor, "redemption.fulfil", fulfilled).order_by("-closed_at", "-id")[:limit]
    )


def transfer_for_reversal(*, actor, transfer_id: int) -> Transfer:
    """A transfer the actor may correct (`points.award` over one of its accounts' regions).
    Transfers move people's points, so a refusal tells nothing about transfers elsewhere:
    `NotFound` for one outside the actor's regions as for none at all, `PermissionDenied` for
    someone who may award points nowhere, whatever the id."""
    return get_scoped(
        actor,
        "points.award",
        Transfer.objects.select_related("debit", "credit"),
        pk=transfer_id,
    )


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


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {"transfers": Transfer.objects.all(), "redemptions": Redemption.objects.all()}
