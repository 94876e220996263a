"""The catalog API: the public service menu."""

from .menu import router

__all__ = ["router"]
