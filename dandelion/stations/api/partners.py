"""Partner place endpoints (friendly merchants and service corners): the list and one place."""

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import payloads, selectors
from .schemas import PartnerDetailOut, PartnerFilters, PartnerOut, RouteMode

router = Router(tags=["stations"])


@router.get(
    "/partners",
    response={200: list[PartnerOut], **problems(404)},
    operation_id="partners_list",
    summary="List partner places (friendly merchants and service corners)",
    auth=None,
)
@paginate(Paged)
def partners_list(request: HttpRequest, filters: Query[PartnerFilters]):
    qs = selectors.partner_list(
        region_code=filters.region, amenity_codes=filters.amenity, text=filters.q
    )
    moment = timezone.now()
    return SerialisedPage(
        selectors.place_list_detailed(qs, moment),
        lambda p: payloads.partner_payload(p, moment=moment),
    )


@router.get(
    "/partners/{partner_id}",
    response={200: PartnerDetailOut, **problems(404)},
    operation_id="partners_get",
    summary="One partner place with hours and navigation links",
    auth=None,
)
def partners_get(
    request: HttpRequest,
    partner_id: int,
    coord: Literal["wgs84", "gcj02"] = "wgs84",
    mode: RouteMode = "ride",
):
    moment = timezone.now()
    partner = selectors.partner_get(partner_id=partner_id, moment=moment)
    return payloads.partner_detail_payload(partner, moment=moment, coord=coord, mode=mode)
