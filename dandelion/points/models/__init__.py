"""The points app's tables: the ledger (`ledger`), earning rules (`rules`), and the rewards
catalogue with redemptions and their history (`rewards`)."""

from .ledger import Account, Entry, EntryQuerySet, Transfer
from .rewards import Redemption, RedemptionEvent, Reward
from .rules import EarningRule

__all__ = [
    "Account",
    "EarningRule",
    "Entry",
    "EntryQuerySet",
    "Redemption",
    "RedemptionEvent",
    "Reward",
    "Transfer",
]
