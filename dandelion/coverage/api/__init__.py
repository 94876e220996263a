"""The coverage API."""

from ninja import Router

from .coverage import router as coverage_router
from .demand import router as demand_router
from .siting import router as siting_router

router = Router()
router.add_router("", coverage_router)
router.add_router("", demand_router)
router.add_router("", siting_router)

__all__ = ["router"]
