"""Regions: `GET /regions/{code}` and `GET /regions?parent=CODE`. Public: a division's name,
shape and population are public facts."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors
from ..models import Region
from .schemas import RegionFilters, RegionOut

router = Router(tags=["regions"])


def region_payload(region: Region) -> dict:
    centre = None
    if region.center_lat is not None and region.center_lng is not None:
        centre = {"lat": region.center_lat, "lng": region.center_lng}
    return {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
        "parent_code": region.parent.code if region.parent_id else None,
        "centre": centre,
        "population": region.population,
        "boundary": region.boundary,
    }


@router.get(
    "/regions",
    response={200: list[RegionOut], **problems(404)},
    operation_id="regions_list",
    summary="List the regions directly below a region",
    description=(
        "The children of the region `parent` (division code), by code; without `parent`, the "
        "top-level regions. 404 when `parent` is not a known region."
    ),
    auth=None,
)
@paginate(Paged)
def regions_list(request: HttpRequest, filters: Query[RegionFilters]):
    return SerialisedPage(selectors.region_children(parent_code=filters.parent), region_payload)


@router.get(
    "/regions/{code}",
    response={200: RegionOut, **problems(404)},
    operation_id="regions_get",
    summary="A region's facts, boundary and population",
    auth=None,
)
def regions_get(request: HttpRequest, code: str):
    return region_payload(selectors.region_detail(code=code))
