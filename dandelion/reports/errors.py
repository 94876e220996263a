"""The reports app's error codes: submitting a report, its extra questions, "me too", routing,
duplicates, the reporter's say and Open311's API keys.

Illegal moves are `CoreError.ILLEGAL_TRANSITION` (raised by `core.workflow`, naming the entity
and its state); a missing field is `CoreError.REQUIRED`, a text too long `CoreError.TOO_LONG`,
and a report, category, region or Open311 thing that is not there is `CoreError.NOT_FOUND` with
`extra={"entity": …}`. These are the app's own concepts.
"""

from dandelion.core.errors import ErrorCode


class ReportsError(ErrorCode):
    # Submitting
    INVALID_POINT = "invalid_point"
    OUTSIDE_SERVICE_AREA = "outside_service_area"
    CATEGORY_NOT_OFFERED = "category_not_offered"
    INVALID_ATTRIBUTE = "invalid_attribute"
    UNKNOWN_ATTRIBUTE = "unknown_attribute"
    # "Me too"
    OWN_REPORT = "own_report"
    REPORT_CLOSED = "report_closed"
    # Staff: statuses, routing, duplicates
    UNKNOWN_STATUS = "unknown_status"
    DUPLICATE_NEEDS_ORIGINAL = "duplicate_needs_original"
    INVALID_ORGANISATION = "invalid_organisation"
    ALREADY_ROUTED = "already_routed"
    SELF_DUPLICATE = "self_duplicate"
    ORIGINAL_NOT_FOUND = "original_not_found"
    OTHER_CITY = "other_city"
    ORIGINAL_IS_DUPLICATE = "original_is_duplicate"
    # The reporter's say
    NOT_REPORTER = "not_reporter"
    REPORTER_WINDOW_CLOSED = "reporter_window_closed"
    # Open311
    INVALID_API_KEY = "invalid_api_key"
    API_KEY_OUT_OF_SCOPE = "api_key_out_of_scope"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
