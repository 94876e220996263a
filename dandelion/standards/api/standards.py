"""The standard in force and the star distribution: public reads."""

from django.http import HttpRequest
from ninja import Query, Router

from dandelion.core.api import problems

from .. import selectors
from ..payloads import standard_payload
from .schemas import StandardFilters, StandardOut, StarDistributionFilters, StarDistributionOut

router = Router(tags=["standards"])


@router.get(
    "/standards/current",
    response={200: StandardOut, **problems(404)},
    operation_id="standards_current",
    summary="The station standard in force in a region (tree, thresholds, prerequisites, vetoes)",
    description="Without `region`, the platform default. A region's own standard applies to "
    "everything below it unless a region nearer the station publishes its own.",
    auth=None,
)
def standards_current(request: HttpRequest, filters: Query[StandardFilters]):
    return standard_payload(selectors.standard_current(region_code=filters.region))


@router.get(
    "/stars/distribution",
    response={200: StarDistributionOut, **problems(404)},
    operation_id="stars_distribution",
    summary="How many active stations hold each star level in a region, and in each child region",
    auth=None,
)
def stars_distribution(request: HttpRequest, filters: Query[StarDistributionFilters]):
    return selectors.stars_distribution(region_code=filters.region)
