from .deadlines import needs_escalate_overdue
from .needs import (
    need_accept,
    need_cancel,
    need_decline,
    need_dispatch,
    need_rate,
    need_reopen,
    need_resolve,
    need_start,
    need_submit,
    need_transition,
    review_close,
    routing_rule_set,
)
from .people import needs_export, person_anonymise
from .problems import consultation_record, problem_close, problem_create
from .wishes import (
    pledge_withdraw,
    pledges_lapse,
    wish_confirm,
    wish_create,
    wish_pledge,
    wish_withdraw,
)

__all__ = [
    "consultation_record",
    "need_accept",
    "need_cancel",
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
    "wish_confirm",
    "wish_create",
    "wish_pledge",
    "wish_withdraw",
]
