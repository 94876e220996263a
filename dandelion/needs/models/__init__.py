from .needs import (
    Need,
    NeedEscalation,
    NeedEvent,
    NeedPhoto,
    NeedRating,
    NeedReview,
    NeedReviewEvent,
    RoutingRule,
)
from .problems import Consultation, Problem, ProblemEvent
from .wishes import MicroWish, MicroWishEvent, WishPledge, WishPledgeEvent, WishReviewPolicy

__all__ = [
    "Consultation",
    "MicroWish",
    "MicroWishEvent",
    "Need",
    "NeedEscalation",
    "NeedEvent",
    "NeedPhoto",
    "NeedRating",
    "NeedReview",
    "NeedReviewEvent",
    "Problem",
    "ProblemEvent",
    "RoutingRule",
    "WishPledge",
    "WishPledgeEvent",
    "WishReviewPolicy",
]
