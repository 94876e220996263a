"""Open311 service requests: posting one with an API key, listing and reading them, a token's
request, and the public updates (mySociety's `servicerequestupdates`)."""

from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dandelion.core.errors import CoreError, NotFound, PermissionDenied

from .. import selectors, services
from ..errors import ReportsError
from ..forms import attributes_from_post
from ..models import Report
from . import params
from .guard import guarded
from .payloads import request_payload, update_payload
from .render import respond

DEFAULT_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
CONTACT = ("email", "device_id", "account_id", "first_name", "last_name", "phone")
# What a text parameter may hold: longer is refused, naming it, never cut short.
TEXT_LIMITS = {
    "description": services.MAX_DESCRIPTION,
    "address_string": services.MAX_ADDRESS,
    "media_url": Report._meta.get_field("media_url").max_length,
    **dict.fromkeys(CONTACT, 200),
}


def _not_found(name: str, value: str, entity: str) -> NotFound:
    return NotFound(
        _("没有这个 %(name)s：%(value)s。") % {"name": name, "value": value},
        code=CoreError.NOT_FOUND,
        extra={"entity": entity},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@guarded
def requests_endpoint(request, fmt: str):
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


def _request_create(request, fmt: str):
    form = request.POST
    key = services.api_key_authenticate(raw=(form.get("api_key") or "").strip())
    if key is None:
        raise PermissionDenied(_("api_key 缺失或无效。"), code=ReportsError.INVALID_API_KEY)
    city = params.city_code(params.jurisdiction(form))
    code = (form.get("service_code") or "").strip()
    if not code:
        raise params.bad("service_code", _("请提供 service_code。"), code=CoreError.REQUIRED)
    if not selectors.category_list(city_code=city).filter(code=code).exists():
        raise params.service_not_found(code)
    lat, lng = params.number(form, "lat"), params.number(form, "long")
    if lat is None or lng is None:
        if form.get("address_string") or form.get("address_id"):
            message = _("请提供 lat and long：这个服务器不做地址解析。")
        else:
            message = _("请提供位置：lat and long。")
        raise params.bad("lat", message, code=CoreError.REQUIRED)
    for name, limit in TEXT_LIMITS.items():
        if len(form.get(name) or "") > limit:
            raise params.bad(
                name,
                _("%(name)s 不能超过 %(n)s 字。") % {"name": name, "n": limit},
                code=CoreError.TOO_LONG,
            )
    description = form.get("description") or ""
    media_url = (form.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise params.bad("media_url", _("media_url 须为 http(s) 链接。")) from None
    contact = {name: form.get(name, "").strip() for name in CONTACT if form.get(name, "").strip()}
    if selectors.region_for_point(lat=lat, lng=lng).city_code != city:
        raise params.bad(
            "lat",
            _("lat/long 在这个 jurisdiction 之外（outside）。"),
            code=ReportsError.OUTSIDE_JURISDICTION,
        )
    report = services.report_create(
        reporter=None,
        category_code=code,
        lat=lat,
        lng=lng,
        description=description,
        address=form.get("address_string", ""),
        attributes=attributes_from_post(form),
        source=Report.Source.OPEN311,
        api_key=key,
        contact=contact,
        media_url=media_url,
    )
    return respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": str(report.pk),
                "token": str(report.token),
                "service_notice": "",
                "account_id": contact.get("account_id", ""),
            }
        ],
        status=201,
    )


def _request_list(request, fmt: str):
    query = request.GET
    city = params.city_code(params.jurisdiction(query))
    ids = params.comma_list(query, "service_request_id")
    page = params.integer(query, "page", 1, 1, 1_000_000)
    page_size = params.integer(query, "page_size", MAX_REQUESTS, 1, MAX_REQUESTS)
    filters = {}
    if ids:
        if not all(i.isdecimal() for i in ids):
            raise params.bad("service_request_id", _("service_request_id 须为逗号分隔的编号。"))
        filters["ids"] = [pk for pk in map(params.row_id, ids) if pk is not None]
    else:
        codes = params.comma_list(query, "service_code")
        if codes:
            known = set(
                selectors.category_list(city_code=city)
                .filter(code__in=codes)
                .values_list("code", flat=True)
            )
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise params.service_not_found(unknown[0])
        wanted = params.comma_list(query, "status")
        if any(s not in ("open", "closed") for s in wanted):
            raise params.bad("status", _("status 须为 open 或 closed。"))
        start, end = params.window(query)
        filters.update(
            category_codes=codes,
            open311_status=wanted[0] if len(wanted) == 1 else None,
            start=start if start is not None else (end or timezone.now()) - DEFAULT_WINDOW,
            end=end,
        )
    rows = selectors.open311_requests(
        city_code=city, offset=(page - 1) * page_size, limit=page_size, **filters
    )
    return respond(fmt, "service_requests", [request_payload(r, request) for r in rows])


@require_GET
@guarded
def request_detail(request, service_request_id: str, fmt: str):
    city = params.city_code(params.jurisdiction(request.GET))
    pk = params.row_id(service_request_id)
    report = selectors.open311_request(city_code=city, report_id=pk) if pk is not None else None
    if report is None:
        raise _not_found("service_request_id", service_request_id, "report")
    return respond(fmt, "service_requests", [request_payload(report, request)])


@require_GET
@guarded
def token_detail(request, token: str, fmt: str):
    city = params.city_code(params.jurisdiction(request.GET))
    try:
        value = UUID(token)
    except ValueError:
        raise _not_found("token", token, "token") from None
    report = selectors.report_by_token(city_code=city, token=value)
    if report is None:
        raise _not_found("token", token, "token")
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": str(report.pk), "token": str(report.token)}],
    )


@require_GET
@guarded
def request_updates(request, fmt: str):
    """mySociety's extension: public updates (status changes with their notes)."""
    query = request.GET
    city = params.city_code(params.jurisdiction(query))
    start, end = params.window(query)
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    events = selectors.updates_since(city_code=city, start=start, end=end, limit=MAX_REQUESTS)
    return respond(fmt, "service_request_updates", [update_payload(e) for e in events])
