"""Every write of the standards app: editing and publishing standards, assessments and
rounds, the stars' expiry and veto rules."""

from .assessing import (
    STARS_VALID_DAYS,
    assessment_move,
    assessment_open,
    assessment_review_score,
    assessment_self_score,
    compute_stars,
    evidence_add,
    round_open,
)
from .editing import (
    standard_draft_create,
    standard_draft_update,
    standard_publish,
    standard_validate,
)
from .stars import spot_check_record, stars_expire_and_veto

__all__ = [
    "STARS_VALID_DAYS",
    "assessment_move",
    "assessment_open",
    "assessment_review_score",
    "assessment_self_score",
    "compute_stars",
    "evidence_add",
    "round_open",
    "spot_check_record",
    "standard_draft_create",
    "standard_draft_update",
    "standard_publish",
    "standard_validate",
    "stars_expire_and_veto",
]
