"""Open311 GeoReport v2 at /open311/v2/: snapshot reports as service requests.

Plain Django views, because the specification fixes the URL suffix formats (`.json`, `.xml`),
the form-encoded POST and the error shape (see `guard`). A request posted here is a `Report`
like any other: it is routed, handled in the console and shown on the public map.

`jurisdiction_id` is the city's division code (360400 for Jiujiang). It may be left out while
the server hosts a single city. This module holds discovery and the services; `requests`
holds the service requests, tokens and updates.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .. import selectors
from . import params
from .guard import guarded
from .payloads import definition_payload, service_payload
from .render import errors, respond
from .requests import request_detail, request_updates, requests_endpoint, token_detail

CHANGESET = "2026-01-15T00:00:00+08:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@require_GET
@guarded
def discovery(request, fmt: str):
    base = request.build_absolute_uri(reverse("open311:root"))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT,
            "key_service": "API keys are issued by the platform's administrators in the admin.",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@require_GET
@guarded
def service_list(request, fmt: str):
    city = params.city_code(params.jurisdiction(request.GET))
    categories = selectors.category_list(city_code=city)
    return respond(fmt, "services", [service_payload(c) for c in categories])


@require_GET
@guarded
def service_definition(request, service_code: str, fmt: str):
    city = params.city_code(params.jurisdiction(request.GET))
    category = selectors.category_list(city_code=city).filter(code=service_code).first()
    if category is None:
        raise params.service_not_found(service_code)
    return respond(fmt, "service_definition", definition_payload(category))


@csrf_exempt
def not_found(request, rest: str = ""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    return errors(fmt, 404, str(_("没有这个 Open311 接口或格式（请用 .json 或 .xml）。")))


def root(request):
    return discovery(request, fmt="json")


__all__ = [
    "discovery",
    "not_found",
    "request_detail",
    "request_updates",
    "requests_endpoint",
    "root",
    "service_definition",
    "service_list",
    "token_detail",
]
