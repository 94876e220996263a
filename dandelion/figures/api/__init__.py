"""The figures API."""

from ninja import Router

from . import figures

router = Router()
router.add_router("", figures.router)

__all__ = ["router"]
