"""The reports API: the public list, map and categories; a worker's reports, "me too" and the
reporter's say; the staff queue and its actions."""

from ninja import Router

from . import categories, reports, staff

router = Router()
for module in (categories, reports, staff):
    router.add_router("", module.router)

__all__ = ["router"]
