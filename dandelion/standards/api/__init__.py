"""The standards API."""

from ninja import Router

router = Router()

__all__ = ["router"]
