"""Open311 GeoReport v2 at /open311/v2/: snapshot reports as service requests.

Plain Django views, because the specification fixes the URL suffix formats (`.json`, `.xml`),
the form-encoded POST and the error shape (`[{code, description}]`: 404 for an unknown
jurisdiction, service, request or token; 403 for a missing, revoked or out-of-area API key;
400 for a missing or bad parameter). A request posted here is a `Report` like any other: it is
routed, handled in the console and shown on the public map.

`jurisdiction_id` is the city's division code (360400 for Jiujiang). It may be left out while
the server hosts a single city.
"""

from datetime import datetime, time, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dandelion.core.errors import ApplicationError, InvalidInput, NotFound, PermissionDenied
from dandelion.regions.models import Region

from .. import selectors, services
from ..api import attributes_from_post
from ..models import Report, ReportCategory
from ..statuses import CLOSED_STATUSES, open311_status
from .render import errors, iso, respond

CHANGESET = "2026-01-15T00:00:00+08:00"
DEFAULT_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
MAX_ID = 2**63 - 1  # ids are BigAutoField
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _guarded(view):
    """Every error the specification's way, never an HTML page or a 500."""

    def wrapper(request, *args, fmt: str = "json", **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return errors(fmt, exc.status, exc.description)
        except NotFound as exc:
            return errors(fmt, 404, exc.message)
        except PermissionDenied as exc:
            return errors(fmt, 403, exc.message)
        except InvalidInput as exc:
            fields = [e.get("field") for e in exc.errors if e.get("field")]
            prefix = f"{', '.join(_open311_field(f) for f in fields)}: " if fields else ""
            return errors(fmt, 400, prefix + exc.message)
        except ApplicationError as exc:
            return errors(fmt, 400, exc.message)
        except DataError:
            # A value the database cannot store (a NUL character on PostgreSQL); the
            # transaction rolled back, so nothing was written.
            return errors(fmt, 400, "A parameter holds a value that cannot be stored.")

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _open311_field(field: str) -> str:
    return {
        "lat": "lat",
        "lng": "long",
        "address": "address_string",
        "category": "service_code",
    }.get(field, field)


def _jurisdiction(params) -> str:
    code = (params.get("jurisdiction_id") or "").strip()
    if code:
        if not Region.objects.filter(code=code, level=Region.Level.CITY).exists():
            raise Open311Error(404, f"jurisdiction_id {code} was not found.")
        return code
    cities = list(
        ReportCategory.objects.filter(is_active=True)
        .order_by("city_code")
        .values_list("city_code", flat=True)
        .distinct()[:2]
    )
    if len(cities) == 1:
        return Region.objects.get(code__startswith=cities[0], level=Region.Level.CITY).code
    if not cities:
        raise Open311Error(404, "No jurisdiction is served here yet.")
    raise Open311Error(400, "jurisdiction_id is required: this server hosts several cities.")


def _city_code(jurisdiction: str) -> str:
    return jurisdiction[:4] + "00"


def _date(params, name: str) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        if "T" in raw:
            moment = parse_datetime(raw.replace(" ", "+"))
        else:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:  # well formed but not on the calendar: 2026-02-30
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} must be an ISO 8601 date and time.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _int(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise Open311Error(400, f"{name} must be between {low} and {high}.")
    return value


def _id(raw: str) -> int | None:
    """A service_request_id as a row id, or None when no row can have it (not a number, or
    beyond the BigAutoField range: such a value must not reach the database)."""
    if not raw.isdecimal() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def _comma_list(params, name: str) -> list[str]:
    return [part.strip() for part in (params.get(name) or "").split(",") if part.strip()]


# ---- payloads ----


def _service(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(list(category.attributes.all())),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _definition(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                    for v in a.values or []
                ],
            }
            for a in category.attributes.all()
        ],
    }


def _request(report: Report, request) -> dict:
    photos = list(report.photos.all())
    media_url = request.build_absolute_uri(photos[0].image.url) if photos else report.media_url
    return {
        "service_request_id": str(report.pk),
        "status": open311_status(report.status),
        "status_notes": report.status_note,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.organisation.name if report.organisation_id else "",
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.expected_at),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lng,
        "media_url": media_url,
    }


# ---- endpoints ----


@require_GET
@_guarded
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
@_guarded
def service_list(request, fmt: str):
    city = _city_code(_jurisdiction(request.GET))
    return respond(fmt, "services", [_service(c) for c in selectors.category_list(city_code=city)])


@require_GET
@_guarded
def service_definition(request, service_code: str, fmt: str):
    city = _city_code(_jurisdiction(request.GET))
    category = selectors.category_list(city_code=city).filter(code=service_code).first()
    if category is None:
        raise Open311Error(404, f"service_code {service_code} was not found.")
    return respond(fmt, "service_definition", _definition(category))


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guarded
def requests_endpoint(request, fmt: str):
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


def _float(params, name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number.") from None


def _request_create(request, fmt: str):
    params = request.POST
    key = services.api_key_authenticate(raw=(params.get("api_key") or "").strip())
    if key is None:
        raise Open311Error(403, "api_key was not provided or is not valid.")
    city = _city_code(_jurisdiction(params))
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code is required.")
    if not selectors.category_list(city_code=city).filter(code=code).exists():
        raise Open311Error(404, f"service_code {code} was not found.")
    lat, lng = _float(params, "lat"), _float(params, "long")
    if lat is None or lng is None:
        if params.get("address_string") or params.get("address_id"):
            raise Open311Error(
                400, "lat and long are required: this server does not geocode addresses."
            )
        raise Open311Error(400, "A location is required: lat and long.")
    description = params.get("description") or ""
    if len(description) > 4000:
        raise Open311Error(400, "description may be at most 4000 characters.")
    media_url = (params.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, "media_url must be an http(s) URL.") from None
    contact = {
        name: params.get(name, "").strip()[:200]
        for name in ("email", "device_id", "account_id", "first_name", "last_name", "phone")
        if params.get(name, "").strip()
    }
    region_of_point = selectors.region_for_point(lat=lat, lng=lng)
    if region_of_point.city_code != city:
        raise Open311Error(400, "lat/long lie outside this jurisdiction.")
    report = services.report_create(
        reporter=None,
        category_code=code,
        lat=lat,
        lng=lng,
        description=description,
        address=params.get("address_string", "")[:200],
        attributes=attributes_from_post(params),
        source=Report.Source.OPEN311,
        api_key=key,
        contact=contact,
        media_url=media_url[:500],
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
    params = request.GET
    city = _city_code(_jurisdiction(params))
    qs = Report.objects.filter(city_code=city)
    ids = _comma_list(params, "service_request_id")
    page = _int(params, "page", 1, 1, 1_000_000)
    page_size = _int(params, "page_size", MAX_REQUESTS, 1, MAX_REQUESTS)
    if ids:
        if not all(i.isdecimal() for i in ids):
            raise Open311Error(400, "service_request_id must be a comma-separated list of ids.")
        qs = qs.filter(pk__in=[pk for pk in map(_id, ids) if pk is not None])
    else:
        codes = _comma_list(params, "service_code")
        if codes:
            known = set(
                selectors.category_list(city_code=city)
                .filter(code__in=codes)
                .values_list("code", flat=True)
            )
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise Open311Error(404, f"service_code {unknown[0]} was not found.")
            qs = qs.filter(category__code__in=codes)
        wanted = _comma_list(params, "status")
        if any(s not in ("open", "closed") for s in wanted):
            raise Open311Error(400, "status must be open or closed.")
        if wanted == ["open"]:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        elif wanted == ["closed"]:
            qs = qs.filter(status__in=CLOSED_STATUSES)
        start, end = _date(params, "start_date"), _date(params, "end_date")
        if start and end and start > end:
            raise Open311Error(400, "start_date must not be after end_date.")
        if start is None:
            start = (end or timezone.now()) - DEFAULT_WINDOW
        qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
    offset = (page - 1) * page_size
    rows = (
        qs.select_related("category", "organisation")
        .prefetch_related("photos")
        .order_by("-created_at", "-id")[offset : offset + page_size]
    )
    return respond(fmt, "service_requests", [_request(r, request) for r in rows])


@require_GET
@_guarded
def request_detail(request, service_request_id: str, fmt: str):
    city = _city_code(_jurisdiction(request.GET))
    pk = _id(service_request_id)
    report = (
        Report.objects.filter(city_code=city, pk=pk)
        .select_related("category", "organisation")
        .prefetch_related("photos")
        .first()
        if pk is not None
        else None
    )
    if report is None:
        raise Open311Error(404, f"service_request_id {service_request_id} was not found.")
    return respond(fmt, "service_requests", [_request(report, request)])


@require_GET
@_guarded
def token_detail(request, token: str, fmt: str):
    city = _city_code(_jurisdiction(request.GET))
    try:
        value = UUID(token)
    except ValueError:
        raise Open311Error(404, f"token {token} was not found.") from None
    report = Report.objects.filter(city_code=city, token=value).only("pk", "token").first()
    if report is None:
        raise Open311Error(404, f"token {token} was not found.")
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": str(report.pk), "token": str(report.token)}],
    )


@require_GET
@_guarded
def request_updates(request, fmt: str):
    """mySociety's extension: public updates (status changes with their notes)."""
    params = request.GET
    city = _city_code(_jurisdiction(params))
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start and end and start > end:
        raise Open311Error(400, "start_date must not be after end_date.")
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    events = selectors.updates_since(city_code=city, start=start, end=end, limit=MAX_REQUESTS)
    return respond(
        fmt,
        "service_request_updates",
        [
            {
                "update_id": str(e.pk),
                "service_request_id": str(e.report_id),
                "status": e.to_status,
                "updated_datetime": iso(e.created_at),
                "description": e.note,
                "media_url": "",
            }
            for e in events
        ],
    )


@csrf_exempt
def not_found(request, rest: str = ""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    return errors(fmt, 404, "No such Open311 endpoint or format (use .json or .xml).")


def root(request):
    return discovery(request, fmt="json")
