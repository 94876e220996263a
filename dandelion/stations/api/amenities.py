"""The amenity catalogue."""

from django.http import HttpRequest
from ninja import Router

from .. import payloads, selectors
from .schemas import AmenityOut

router = Router(tags=["stations"])


@router.get(
    "/amenities",
    response=list[AmenityOut],
    operation_id="amenities_list",
    summary="The amenity catalogue",
    auth=None,
)
def amenities_list(request: HttpRequest):
    return [payloads.amenity_payload(a) for a in selectors.amenity_list()]
