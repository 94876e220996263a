"""The standards API."""

from ninja import Router

from . import assessments, standards

router = Router()
router.add_router("/", standards.router)
router.add_router("/", assessments.router)

__all__ = ["router"]
