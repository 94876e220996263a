"""The staff console's needs pages: the dispatch queue, the department queue, every need in
scope, the overdue list, a need's detail with only the actions the caller may take, reviews of
low ratings, problems with their consultations, and the review of micro-wishes."""

from .needs import (
    all_needs,
    department_queue,
    dispatch_queue,
    need_action,
    need_contact,
    need_detail,
    overdue,
    review_close,
    reviews,
)
from .problems import problem_detail, problem_new, problems
from .wishes import wish_review, wish_reviews

__all__ = [
    "all_needs",
    "department_queue",
    "dispatch_queue",
    "need_action",
    "need_contact",
    "need_detail",
    "overdue",
    "problem_detail",
    "problem_new",
    "problems",
    "review_close",
    "reviews",
    "wish_review",
    "wish_reviews",
]
