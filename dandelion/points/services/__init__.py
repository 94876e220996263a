"""Every write of the points app: the ledger, awards by rule, rewards and redemptions."""

from .ledger import (
    accounts_lock,
    budget_account,
    issuer_account,
    issuer_fund,
    provider_account,
    transfer_make,
    transfer_reverse,
    worker_account,
)
from .redemptions import (
    redemption_cancel,
    redemption_fulfil,
    redemptions_expire,
    reward_redeem,
)
from .rewards import reward_create, reward_update
from .rules import (
    AwardResult,
    award_by_rule,
    award_from_event,
    award_manual,
    cap_remaining,
    region_code_chain,
    rule_for,
)

__all__ = [
    "AwardResult",
    "accounts_lock",
    "award_by_rule",
    "award_from_event",
    "award_manual",
    "budget_account",
    "cap_remaining",
    "issuer_account",
    "issuer_fund",
    "provider_account",
    "redemption_cancel",
    "redemption_fulfil",
    "redemptions_expire",
    "region_code_chain",
    "reward_create",
    "reward_redeem",
    "reward_update",
    "rule_for",
    "transfer_make",
    "transfer_reverse",
    "worker_account",
]
