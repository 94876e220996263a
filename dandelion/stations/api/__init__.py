"""The stations API: stations (nearby, list, map, detail), partner places, the amenity catalogue."""

from ninja import Router

from . import amenities, partners, stations

router = Router()
for module in (stations, partners, amenities):
    router.add_router("", module.router)

__all__ = ["router"]
