"""A station's work log: the services it held (health checks, legal advice, fridge refills…)."""

from django.http import HttpRequest
from ninja import File, Form, Header, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.i18n import localized
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from ..models import StationServiceLog
from .schemas import ServiceLogIn, ServiceLogOut

router = Router(tags=["stations"])


def service_log_payload(entry: StationServiceLog) -> dict:
    return {
        "id": entry.pk,
        "station_id": entry.station_id,
        "date": entry.date,
        "kind": {
            "code": entry.kind.code,
            "name": localized(entry.kind.name_zh, entry.kind.name_en),
            "counts_bottles": entry.kind.counts_bottles,
        },
        "people_served": entry.people_served,
        "bottles": entry.bottles,
        "note": entry.note,
        "photo_url": entry.photo.url if entry.photo else None,
        "created_at": entry.created_at,
    }


@router.get(
    "/stations/{station_id}/services-log",
    response={200: list[ServiceLogOut], **problems(404)},
    operation_id="stations_services_log_list",
    summary="A station's work log: the services it held, latest day first",
    description=(
        "For the station's managers, the region admins above it and auditors; 404 for any "
        "other station, whether or not it exists."
    ),
)
@paginate(Paged)
def services_log_list(request: HttpRequest, station_id: int):
    station = selectors.station_for_work_log(user=request.user, station_id=station_id)
    return SerialisedPage(selectors.service_log_list(station=station), service_log_payload)


@router.post(
    "/stations/{station_id}/services-log",
    response={200: ServiceLogOut, 201: ServiceLogOut, **problems(404, 409)},
    operation_id="stations_services_log_add",
    summary="Log a service the station held (multipart: fields and an optional photo)",
    description=(
        "For the station's managers and the region admins above it. Send a unique "
        "`Idempotency-Key` header per entry: the same key again returns the first entry (200) "
        "and logs nothing twice; the same key for another station is a 409 "
        "`idempotency_key_reused`. `bottles` is required for the kinds that count bottles (the "
        "free-drinks fridge refills) and refused for others; `date` may not be after the "
        "station's today. The photo, optional, is checked by decoding and stored re-encoded "
        "without EXIF. Errors are 422 naming the field."
    ),
)
def services_log_add(
    request: HttpRequest,
    station_id: int,
    payload: Form[ServiceLogIn],
    photo: File[UploadedFile] = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    station = selectors.station_for_work_log(
        user=request.user, station_id=station_id, action="station_service.log"
    )
    entry, created = services.service_log_add(
        actor=request.user,
        station=station,
        day=payload.date,
        kind_code=payload.kind,
        people_served=payload.people_served,
        bottles=payload.bottles,
        note=payload.note,
        photo=photo,
        idempotency_key=idempotency_key or "",
    )
    entry = selectors.service_log_list(station=station).get(pk=entry.pk)
    return (201 if created else 200), service_log_payload(entry)
