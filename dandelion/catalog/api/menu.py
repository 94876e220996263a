"""The service menu, public: `GET /catalog` (filtered by region) and one item."""

from django.http import HttpRequest
from ninja import Query, Router

from dandelion.core.api import problems

from .. import selectors
from .payloads import category_payload, item_payload
from .schemas import CatalogCategoryOut, CatalogFilters, CatalogItemOut

router = Router(tags=["catalog"])


@router.get(
    "/catalog",
    response={200: list[CatalogCategoryOut], **problems(404)},
    operation_id="catalog_list",
    summary="The service menu: categories and the items serving a region",
    description=(
        "What workers can order (服务清单). A bounded menu (tens of items), so not paged. "
        "Names are in the request's language. 404 for a region that does not exist."
    ),
    auth=None,
)
def catalog_list(request: HttpRequest, filters: Query[CatalogFilters]):
    return [category_payload(c) for c in selectors.catalog_for_region(region_code=filters.region)]


@router.get(
    "/catalog/items/{code}",
    response={200: CatalogItemOut, **problems(404)},
    operation_id="catalog_item_get",
    summary="One item of the service menu, with its questions",
    auth=None,
)
def catalog_item_get(request: HttpRequest, code: str):
    return item_payload(selectors.item_get(code=code))
