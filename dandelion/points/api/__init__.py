"""The points API: my points, the rewards catalogue, redeeming with an Idempotency-Key, my
codes, staff fulfilment by code, manual awards and reversals."""

from ninja import Router

from . import points, redemptions, rewards

router = Router()
router.add_router("", points.router)
router.add_router("", rewards.router)
router.add_router("", redemptions.router)

__all__ = ["router"]
