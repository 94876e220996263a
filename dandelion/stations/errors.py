"""The error codes of stations and partner places (`core.errors`).

"No such station / partner place" is `CoreError.NOT_FOUND` with `extra={"entity": "station"}` or
`{"entity": "partner_place"}`, as every "not found" is; a permission refusal is
`CoreError.PERMISSION_DENIED`."""

from dandelion.core.errors import ErrorCode


class StationsError(ErrorCode):
    # Places
    UNKNOWN_FIELDS = "unknown_fields"
    INVALID_COORDINATES = "invalid_coordinates"
    INVALID_PLACE = "invalid_place"
    INVALID_HOURS = "invalid_hours"
    UNKNOWN_AMENITY = "unknown_amenity"
    # Stars (星级)
    INVALID_STARS = "invalid_stars"
    # The work log
    UNKNOWN_SERVICE_KIND = "unknown_service_kind"
    INVALID_SERVICE_LOG = "invalid_service_log"
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    # Visits (打卡)
    TOO_FAR_FROM_STATION = "too_far_from_station"
    INVALID_LOCATION = "invalid_location"
    VISIT_NOT_FLAGGED = "visit_not_flagged"
    # Searches
    INVALID_LIMIT = "invalid_limit"
    TOO_MANY_FEATURES = "too_many_features"
    # Station files (import)
    IMPORT_EMPTY = "import_empty"
    IMPORT_BAD_FILE = "import_bad_file"
    IMPORT_WRONG_TYPE = "import_wrong_type"
    IMPORT_BAD_ENCODING = "import_bad_encoding"
    IMPORT_TOO_LARGE = "import_too_large"
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows"
    IMPORT_BAD_HEADER = "import_bad_header"
    IMPORT_BAD_CELL = "import_bad_cell"
    IMPORT_DUPLICATE_ROW = "import_duplicate_row"
    IMPORT_AMBIGUOUS_STATION = "import_ambiguous_station"
    IMPORT_INVALID_ROWS = "import_invalid_rows"
