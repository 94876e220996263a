"""The coverage API."""

from ninja import Router

from .coverage import router as coverage_router

router = Router()
router.add_router("", coverage_router)

__all__ = ["router"]
