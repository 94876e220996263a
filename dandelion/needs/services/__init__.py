"""Every write of the needs app, by concern: a need's submission and routing
(`submission`), its moves (`transitions`) and who hears of them (`notices`), the staff
reaching its worker (`contact`), reviews of low ratings, micro-wishes, problems and
consultations, deadlines, and a person's data."""

from .contact import need_contact_reveal
from .deadlines import needs_escalate_overdue
from .people import needs_export, person_anonymise
from .problems import consultation_record, problem_close, problem_create
from .reviews import review_close
from .submission import need_submit, routing_rule_set
from .transitions import (
    need_accept,
    need_cancel,
    need_decline,
    need_dispatch,
    need_rate,
    need_reopen,
    need_resolve,
    need_start,
    need_transition,
)
from .wishes import (
    pledge_withdraw,
    pledges_lapse,
    wish_approve,
    wish_confirm,
    wish_create,
    wish_pledge,
    wish_reject,
    wish_withdraw,
)

__all__ = [
    "consultation_record",
    "need_accept",
    "need_cancel",
    "need_contact_reveal",
    "need_decline",
    "need_dispatch",
    "need_rate",
    "need_reopen",
    "need_resolve",
    "need_start",
    "need_submit",
    "need_transition",
    "needs_escalate_overdue",
    "needs_export",
    "person_anonymise",
    "pledge_withdraw",
    "pledges_lapse",
    "problem_close",
    "problem_create",
    "review_close",
    "routing_rule_set",
    "wish_approve",
    "wish_confirm",
    "wish_create",
    "wish_pledge",
    "wish_reject",
    "wish_withdraw",
]
