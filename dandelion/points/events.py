"""Events the points app publishes (`core.events`)."""

from datetime import datetime

from dandelion.core.events import Event, declare


@declare
class RedemptionIssued(Event):
    """A worker redeemed a reward for a code (兑换, `services.reward_redeem`), paying `price`
    points; `occurred_at` is the redemption, `region_code` the reward's region."""

    name = "points.redemption_issued"

    redemption_id: int
    reward_id: int
    user_id: int
    region_code: str
    price: int


@declare
class RedemptionCancelled(Event):
    """An unclaimed code was cancelled and its points refunded (`services.redemption_cancel`);
    `occurred_at` is the cancellation, `issued_at` when the code was issued (what the figures
    date a redemption by)."""

    name = "points.redemption_cancelled"

    redemption_id: int
    reward_id: int
    user_id: int
    region_code: str
    price: int
    issued_at: datetime
