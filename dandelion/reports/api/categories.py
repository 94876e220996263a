"""Report categories: what may be reported at a place or in a region, with the extra questions."""

from django.http import HttpRequest
from ninja import Query, Router

from dandelion.core.api import problems

from .. import selectors
from ..payloads import category_payload
from .schemas import REGION_PATTERN, ReportCategoryOut

router = Router(tags=["reports"])


@router.get(
    "/report-categories",
    response={200: list[ReportCategoryOut], **problems(404)},
    operation_id="report_categories_list",
    summary="Report categories offered at a place or in a region",
    auth=None,
)
def report_categories_list(
    request: HttpRequest,
    region: str | None = Query(None, pattern=REGION_PATTERN),
    lat: float | None = Query(None, ge=-90, le=90),
    lng: float | None = Query(None, ge=-180, le=180),
):
    if lat is not None and lng is not None:
        categories = selectors.categories_for_point(lat=lat, lng=lng)
    elif region:
        categories = selectors.categories_for_region_code(code=region)
    else:
        categories = selectors.category_list()
    return [category_payload(c) for c in categories]
