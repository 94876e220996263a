"""The notifications API: the inbox (`GET /notifications`, mark one or all read, the unread
count for badges)."""

from ninja import Router

from . import inbox

router = Router()
router.add_router("", inbox.router)

__all__ = ["router"]
