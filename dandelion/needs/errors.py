"""The needs app's error codes: needs, micro-wishes and pledges, problems and consultations,
reviews of low ratings. Illegal moves are `CoreError.ILLEGAL_TRANSITION` (raised by
`core.workflow`, naming the entity and its state); these are the app's own concepts."""

from dandelion.core.errors import ErrorCode


class NeedsError(ErrorCode):
    # A submission, a wish, a pledge, a problem or a consultation that breaks a rule; the
    # `errors[]` items say which fields.
    INVALID_NEED = "invalid_need"
    INVALID_WISH = "invalid_wish"
    INVALID_PLEDGE = "invalid_pledge"
    INVALID_PROBLEM = "invalid_problem"
    INVALID_CONSULTATION = "invalid_consultation"
    # Field problems
    REGISTRATION_REQUIRED = "registration_required"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_ITEM = "unknown_item"
    ITEM_NOT_OFFERED = "item_not_offered"
    PLACE_REQUIRED = "place_required"
    OUT_OF_RANGE = "out_of_range"
    NOT_YOUR_NEED = "not_your_need"
    ALREADY_A_WISH = "already_a_wish"
    OUT_OF_SCOPE = "out_of_scope"
    UNKNOWN_DEPARTMENT = "unknown_department"
    # Dispatching
    DEPARTMENT_INACTIVE = "department_inactive"
    DEPARTMENT_OUT_OF_SCOPE = "department_out_of_scope"
    DEPARTMENT_UNCHANGED = "department_unchanged"
    # A resolved need reopened after the window
    REOPEN_WINDOW_PASSED = "need_reopen_window_passed"
    # Two pledges of one wish at the same moment: the other one won
    WISH_ALREADY_PLEDGED = "wish_already_pledged"
