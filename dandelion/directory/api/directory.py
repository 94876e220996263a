"""The HSDS endpoints: parse the query, call one selector, render a page (or every row as
newline-delimited JSON for `format=ndjson`)."""

from datetime import UTC, datetime
from functools import wraps
from typing import Any, Literal

import orjson
from django.http import StreamingHttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.utils import contribute_operation_args

from dandelion.core.api import problems
from dandelion.core.pagination import MAX_PAGE, MAX_PAGE_SIZE

from .. import selectors
from ..mapping import publisher_name
from ..profiles import PROFILE_NAME, profile_patches
from .schemas import PageOut, ProfileOut, RootOut

HSDS_VERSION = "3.1"
DEFAULT_PER_PAGE = 20
NDJSON = "application/x-ndjson"

router = Router(tags=["HSDS"])

# With `format=ndjson` a list answers every matching object, one JSON object a line.
NDJSON_TOO = {
    "responses": {
        200: {
            "content": {
                NDJSON: {
                    "schema": {
                        "type": "string",
                        "description": "One JSON object a line (`format=ndjson`)",
                    }
                }
            }
        }
    }
}

Format = Literal["json", "ndjson"]


def _page(rows: list[dict], *, page: int, per_page: int, output: str):
    if output == "ndjson":
        lines = (orjson.dumps(row) + b"\n" for row in rows)
        return StreamingHttpResponse(lines, content_type=NDJSON)
    return selectors.page_of(rows, page=page, per_page=per_page).envelope()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


PageQuery = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
PerPageQuery = Query(
    DEFAULT_PER_PAGE, ge=1, le=MAX_PAGE_SIZE, description=f"Objects a page, at most {MAX_PAGE_SIZE}"
)
FormatQuery = Query(
    "json", alias="format", description="`ndjson`: every matching object, one a line, unpaged"
)
SearchQuery = Query(None, max_length=100, description="Text in the names or descriptions")
IdQuery = Query(None, max_length=64)
ModifiedAfterQuery = Query(None, description="Objects whose source changed on or after this moment")
LatQuery = Query(None, description="WGS-84 latitude of the point for `proximity`")
LngQuery = Query(None, description="WGS-84 longitude of the point for `proximity`")
ProximityQuery = Query(None, description="Great-circle radius in metres around `lat`,`lng`")


def _list(path: str, *, operation_id: str, summary: str):
    """A list operation. Its view takes the filters and returns every matching object; this
    adds `page`, `per_page` and `format` after the view's own parameters (the way ninja's
    `@paginate` adds its own) and answers a page of the objects, or all of them as ndjson.

    Plain parameters rather than a `Query[Schema]`: ninja would add the schema to the
    document's components, and the HSDS document declares only what HSDS readers use."""

    def declare(view):
        @wraps(view)
        def paged(request, *, page: int, per_page: int, output: Format, **filters):
            return _page(view(request, **filters), page=page, per_page=per_page, output=output)

        contribute_operation_args(paged, "page", int, PageQuery)
        contribute_operation_args(paged, "per_page", int, PerPageQuery)
        contribute_operation_args(paged, "output", Format, FormatQuery)
        return router.get(
            path,
            response={200: PageOut},
            openapi_extra=NDJSON_TOO,
            operation_id=operation_id,
            summary=summary,
        )(paged)

    return declare


def _one(path: str, *, operation_id: str, summary: str):
    """A single-object operation: the object, or a 404 problem for an unknown id."""
    return router.get(
        path,
        response={200: dict[str, Any], **problems(404)},
        operation_id=operation_id,
        summary=summary,
    )


@router.get("/", response={200: RootOut}, operation_id="hsds_root", summary="About this API")
def root(request):
    return {
        "version": HSDS_VERSION,
        "profile": request.build_absolute_uri(reverse("hsds:hsds_profile")),
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
        "publisher": publisher_name(),
    }


@router.get(
    "/profile",
    response={200: ProfileOut},
    operation_id="hsds_profile",
    url_name="hsds_profile",
    summary="Dandelion's HSDS profile (JSON Merge Patches over the specification's schemas)",
)
def profile(request):
    return {
        "name": PROFILE_NAME,
        "hsds_version": HSDS_VERSION,
        "description": (
            "What Chinese cities need beyond HSDS 3.1: division codes on addresses, "
            "organisations and service areas; a place's type, kind and origin; English names "
            "of taxonomy terms. See docs/hsds.md."
        ),
        "schemas": profile_patches(),
    }


@_list(
    "/services",
    operation_id="hsds_services",
    summary="Services: what each place offers, and the service menu's items by provider",
)
def services(
    request,
    search: str | None = SearchQuery,
    taxonomy_id: str | None = IdQuery,
    taxonomy_term_id: str | None = IdQuery,
    organization_id: str | None = IdQuery,
    modified_after: datetime | None = ModifiedAfterQuery,
    full: bool = False,
):
    filters = selectors.Filters(
        search, taxonomy_id, taxonomy_term_id, organization_id, _aware(modified_after)
    )
    return selectors.services_matching(filters=filters, full=full)


@_one("/services/{service_id}", operation_id="hsds_service", summary="One service, fully nested")
def service(request, service_id: str):
    return selectors.service_get(service_id=service_id)


@_list(
    "/organizations",
    operation_id="hsds_organizations",
    summary="Organisations: the publisher, hosts of stations, partner places, menu providers",
)
def organizations(
    request,
    search: str | None = SearchQuery,
    taxonomy_id: str | None = IdQuery,
    taxonomy_term_id: str | None = IdQuery,
    full: bool = False,
):
    filters = selectors.Filters(search, taxonomy_id, taxonomy_term_id)
    return selectors.organizations_matching(filters=filters, full=full)


@_one(
    "/organizations/{organization_id}",
    operation_id="hsds_organization",
    summary="One organisation with its services and locations",
)
def organization(request, organization_id: str):
    return selectors.organization_get(organization_id=organization_id)


@_list(
    "/service_at_locations",
    operation_id="hsds_service_at_locations",
    summary="Services at places; `proximity` metres around `lat`,`lng` (WGS-84), nearest first",
)
def service_at_locations(
    request,
    search: str | None = SearchQuery,
    taxonomy_id: str | None = IdQuery,
    taxonomy_term_id: str | None = IdQuery,
    organization_id: str | None = IdQuery,
    modified_after: datetime | None = ModifiedAfterQuery,
    lat: float | None = LatQuery,
    lng: float | None = LngQuery,
    proximity: float | None = ProximityQuery,
    full: bool = False,
):
    near = selectors.proximity_point(lat=lat, lng=lng, proximity=proximity)
    filters = selectors.Filters(
        search, taxonomy_id, taxonomy_term_id, organization_id, _aware(modified_after)
    )
    return selectors.service_at_locations_matching(filters=filters, full=full, near=near)


@_one(
    "/service_at_locations/{service_at_location_id}",
    operation_id="hsds_service_at_location",
    summary="One service at one place, with both",
)
def service_at_location(request, service_at_location_id: str):
    return selectors.service_at_location_get(service_at_location_id=service_at_location_id)


@_list(
    "/taxonomies",
    operation_id="hsds_taxonomies",
    summary="Taxonomies: the amenity catalogue and the service menu",
)
def taxonomies(request, search: str | None = SearchQuery):
    return selectors.taxonomies_matching(search=search)


@_one("/taxonomies/{taxonomy_id}", operation_id="hsds_taxonomy", summary="One taxonomy")
def taxonomy(request, taxonomy_id: str):
    return selectors.taxonomy_get(taxonomy_id=taxonomy_id)


@_list(
    "/taxonomy_terms",
    operation_id="hsds_taxonomy_terms",
    summary="Terms: amenities, menu categories and menu items (under their category)",
)
def taxonomy_terms(
    request,
    search: str | None = SearchQuery,
    taxonomy_id: str | None = IdQuery,
    parent_id: str | None = IdQuery,
    top_only: bool = False,
):
    return selectors.taxonomy_terms_matching(
        search=search, taxonomy_id=taxonomy_id, parent_id=parent_id, top_only=top_only
    )


@_one(
    "/taxonomy_terms/{taxonomy_term_id}",
    operation_id="hsds_taxonomy_term",
    summary="One taxonomy term",
)
def taxonomy_term(request, taxonomy_term_id: str):
    return selectors.taxonomy_term_get(taxonomy_term_id=taxonomy_term_id)
