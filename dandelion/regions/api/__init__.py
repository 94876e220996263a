"""The regions API: a division's facts, shape and people (public)."""

from ninja import Router

from .regions import router as regions_router

router = Router()
router.add_router("", regions_router)

__all__ = ["router"]
