"""The staff console's needs pages: the dispatch queue, the department queue, every need in
scope, the overdue list, a need's detail with only the actions the caller may take, reviews of
low ratings, and problems with their consultations."""

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
]
