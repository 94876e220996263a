"""The needs API: needs and their actions, reviews, micro-wishes, problems and consultations."""

from ninja import Router

from . import needs, problems, wishes

router = Router()
router.add_router("", needs.router)
router.add_router("", wishes.router)
router.add_router("", problems.router)

__all__ = ["router"]
