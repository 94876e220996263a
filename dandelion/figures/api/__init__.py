"""The figures API."""

from ninja import Router

from . import figures, open_data

router = Router()
router.add_router("", figures.router)
router.add_router("", open_data.router)

__all__ = ["router"]
