from .needs import Need, NeedEscalation, NeedEvent, NeedPhoto, NeedRating, NeedReview, RoutingRule
from .problems import Consultation, Problem
from .wishes import MicroWish, WishPledge

__all__ = [
    "Consultation",
    "MicroWish",
    "Need",
    "NeedEscalation",
    "NeedEvent",
    "NeedPhoto",
    "NeedRating",
    "NeedReview",
    "Problem",
    "RoutingRule",
    "WishPledge",
]
