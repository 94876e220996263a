"""The orgs API: organisations, join codes, memberships, party return-to-team."""

from ninja import Router

from . import organisations, party

router = Router()
router.add_router("", organisations.router)
router.add_router("", party.router)

__all__ = ["router"]
