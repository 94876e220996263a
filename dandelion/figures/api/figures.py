"""`GET /api/v1/figures`: the programme figures of a region over a period."""

from django.http import HttpRequest
from ninja import Query, Router

from dandelion.core.api import problems

from .. import selectors
from ..schemas import FiguresFilters, FiguresOut

router = Router(tags=["figures"])


@router.get(
    "/figures",
    response={200: FiguresOut, **problems(404)},
    operation_id="figures_get",
    summary="The programme figures (工作数据) of a region over a period",
    description=(
        "For holders of `figures.view` (region admins, auditors) over the region: flows over "
        "`from`..`to` (days in the region's time zone), stocks as of the end of `to`, each "
        "child region's headline numbers and a monthly series. Read from the roll-ups; every "
        "figure equals a recount of the rows it counts. 404 for a region outside the caller's "
        "scope (alike an unknown one); 422 when `from` is after `to` or the period is longer "
        "than 3,700 days."
    ),
)
def figures_get(request: HttpRequest, filters: Query[FiguresFilters]):
    region = selectors.figures_region(actor=request.user, code=filters.region)
    date_from, date_to = selectors.figures_period(
        region=region, date_from=filters.date_from, date_to=filters.date_to
    )
    return selectors.figures_compute(region=region, date_from=date_from, date_to=date_to)
