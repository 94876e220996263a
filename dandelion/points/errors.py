"""The points app's error codes: the ledger, awards by rule, rewards and redemptions.

"No such reward / redemption / transfer" is `CoreError.NOT_FOUND` with `extra={"entity": ...}`;
a move a redemption's state does not allow (fulfilling a used, expired or cancelled code) is
`CoreError.ILLEGAL_TRANSITION`, raised by `core.workflow`, naming the state; a refusal by
permission is `CoreError.PERMISSION_DENIED`; an empty field is `CoreError.REQUIRED`."""

from dandelion.core.errors import ErrorCode


class PointsError(ErrorCode):
    # The ledger
    INVALID_AMOUNT = "invalid_amount"
    SAME_ACCOUNT = "same_account"
    INSUFFICIENT_POINTS = "insufficient_points"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    ALREADY_REVERSED = "already_reversed"
    # Awards by rule
    UNKNOWN_EVENT = "unknown_event"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_USER = "unknown_user"
    # Rewards
    INVALID_REWARD = "invalid_reward"
    UNKNOWN_FIELDS = "unknown_fields"
    PROVIDER_REQUIRED = "provider_required"
    # Redeeming
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    REWARD_INACTIVE = "reward_inactive"
    REWARD_NOT_IN_WINDOW = "reward_not_in_window"
    PER_PERSON_LIMIT = "per_person_limit"
    OUT_OF_STOCK = "out_of_stock"
    CODE_EXHAUSTED = "code_exhausted"
