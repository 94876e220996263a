"""An assessment's life (星级评定) as the one table of allowed moves (`core.workflow`).

    draft ─submit→ self_assessed ─review→ reviewed ─approve→ approved ─appeal→ appealed
      ↑                │                      │                              │
      └── returned ←─return──────────────return                 reconsider → reviewed
            │ (submit again)                                     dismiss    → approved

Who moves it (each move also needs the permission on the station's assessment, in scope):
- the station's `station_manager` self-assesses (`submit`, from draft or returned) and may
  `appeal` an approved result (`assessment.self_assess`);
- a `reviewer`, a dispatcher or region admin of the station's street or district, scores each
  indicator and `review`s, or `return`s it for more evidence (`assessment.review`);
- the `approver`, the region admin, `approve`s (which awards the stars), and answers an appeal:
  `reconsider` (back to reviewed, to score again) or `dismiss` (`assessment.approve`).
"""

from dandelion.core.workflow import Transition, Workflow

from .models import Assessment

S = Assessment.State
MANAGER, REVIEWER, APPROVER = "station_manager", "reviewer", "approver"

SELF_ASSESS = "assessment.self_assess"
REVIEW = "assessment.review"
APPROVE = "assessment.approve"

SUBMIT, REVIEW_ACTION, RETURN, APPROVE_ACTION = "submit", "review", "return", "approve"
APPEAL, RECONSIDER, DISMISS = "appeal", "reconsider", "dismiss"
CREATE = "create"  # the event that opens an assessment: "" → draft

ASSESSMENT = Workflow(
    entity="assessment",
    transitions=[
        Transition(
            SUBMIT, [S.DRAFT, S.RETURNED], S.SELF_ASSESSED, actors={MANAGER}, permission=SELF_ASSESS
        ),
        Transition(
            REVIEW_ACTION, [S.SELF_ASSESSED], S.REVIEWED, actors={REVIEWER}, permission=REVIEW
        ),
        Transition(
            RETURN, [S.SELF_ASSESSED, S.REVIEWED], S.RETURNED, actors={REVIEWER}, permission=REVIEW
        ),
        Transition(APPROVE_ACTION, [S.REVIEWED], S.APPROVED, actors={APPROVER}, permission=APPROVE),
        Transition(APPEAL, [S.APPROVED], S.APPEALED, actors={MANAGER}, permission=SELF_ASSESS),
        Transition(RECONSIDER, [S.APPEALED], S.REVIEWED, actors={APPROVER}, permission=APPROVE),
        Transition(DISMISS, [S.APPEALED], S.APPROVED, actors={APPROVER}, permission=APPROVE),
    ],
)

# Who takes each action: the role the event row records.
ACTION_ROLE = {
    SUBMIT: MANAGER,
    APPEAL: MANAGER,
    REVIEW_ACTION: REVIEWER,
    RETURN: REVIEWER,
    APPROVE_ACTION: APPROVER,
    RECONSIDER: APPROVER,
    DISMISS: APPROVER,
}
# States in which the station still edits its self-assessment, and the reviewer scores.
SELF_EDITABLE = (S.DRAFT, S.RETURNED)
REVIEW_EDITABLE = (S.SELF_ASSESSED,)
OPEN_STATES = (S.DRAFT, S.SELF_ASSESSED, S.REVIEWED, S.RETURNED)
