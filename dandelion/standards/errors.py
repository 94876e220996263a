"""The standards app's error codes."""

from dandelion.core.errors import ErrorCode


class StandardsError(ErrorCode):
    # The standard's own rules (field paths say where: `groups[2].indicators[0].max_points`)
    POINTS_SUM = "points_sum"
    BONUS_SUM = "bonus_sum"
    THRESHOLDS_ORDER = "thresholds_order"
    DUPLICATE_CODE = "duplicate_code"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_MEASURE = "unknown_measure"
    NOT_DRAFT = "not_draft"
    NO_STANDARD = "no_standard"
    # Assessments
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    OVERRIDE_REASON_REQUIRED = "override_reason_required"
    EVIDENCE_REQUIRED = "evidence_required"
    SCORE_MISSING = "score_missing"
    ASSESSMENT_OPEN = "assessment_open"
    STATION_NOT_ACTIVE = "station_not_active"
