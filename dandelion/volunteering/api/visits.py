"""Station visits (驿站打卡) by the station's QR code; stations records them."""

from django.http import HttpRequest
from ninja import Router

from dandelion.core.api import problems
from dandelion.stations import services as stations_services

from .. import selectors
from .schemas import VolunteeringVisitIn, VolunteeringVisitOut

router = Router(tags=["volunteering"])


@router.post(
    "/volunteering/visits",
    response={200: VolunteeringVisitOut, 201: VolunteeringVisitOut, **problems(404)},
    operation_id="volunteering_visit_record",
    summary="Record a visit to a station by its QR code (once per station and day)",
)
def visit_record(request: HttpRequest, payload: VolunteeringVisitIn):
    station = selectors.station_for_visit(station_uuid=payload.station_uuid)
    visit, created = stations_services.visit_record(user=request.user, station=station)
    body = {
        "id": visit.pk,
        "station_id": station.pk,
        "day": visit.day.isoformat(),
        "visited_at": visit.visited_at,
        "created": created,
    }
    return (201 if created else 200), body
