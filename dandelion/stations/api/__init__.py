"""The stations API: stations (nearby, list, map, detail), partner places, the amenity catalogue,
and each station's work log."""

from ninja import Router

from . import amenities, partners, stations, work_log

router = Router()
for module in (stations, partners, amenities, work_log):
    router.add_router("", module.router)

__all__ = ["router"]
