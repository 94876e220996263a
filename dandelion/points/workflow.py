"""The one table of a redemption's moves (兑换码). A redemption is issued when the worker
redeems (its first event, "" → issued); then staff of the provider hand the reward over
(fulfil), the worker or the provider's staff cancel it, or the system expires it when the
claim deadline passes. Cancelling and expiring refund the points and put the unit back, in the
same move (`services.redemptions`). Every move goes through `core.workflow.transition`, which
writes a `RedemptionEvent`."""

from dandelion.core.workflow import SYSTEM, Transition, Workflow

from .models import Redemption

S = Redemption.Status

ISSUE = "issue"  # the event that creates a redemption: "" → issued
WORKER = "worker"  # the person who redeemed it
STAFF = "staff"  # staff of the providing station, partner place or merchant

REDEMPTION = Workflow(
    entity="redemption",
    state_field="status",
    transitions=[
        Transition(
            "fulfil", [S.ISSUED], S.FULFILLED, actors={STAFF}, permission="redemption.fulfil"
        ),
        Transition(
            "cancel",
            [S.ISSUED],
            S.CANCELLED,
            actors={WORKER, STAFF},
            permission="redemption.cancel",
        ),
        Transition("expire", [S.ISSUED], S.EXPIRED, actors={SYSTEM}),
    ],
)

# Every (from, to) pair an event may record, creation included.
ALLOWED_MOVES = REDEMPTION.moves() | {("", S.ISSUED)}
