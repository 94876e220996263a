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
    response={200: VolunteeringVisitOut, 201: VolunteeringVisitOut, **problems(404, 429)},
    operation_id="volunteering_visit_record",
    summary="Record a visit to a station by its QR code (once per station and day)",
    description=(
        "Send the visit code from the station's poster (`/v/<code>`) and, when the device can "
        "tell, its location (`lat`, `lng`, WGS-84, `accuracy_m`). A location farther than "
        "`STATION_VISIT_RADIUS_M` from the station is refused (422 `too_far_from_station`); "
        "without one the visit is recorded unverified. 429 with `Retry-After` past the "
        "worker's visit rate."
    ),
)
def visit_record(request: HttpRequest, payload: VolunteeringVisitIn):
    station = selectors.station_for_visit(code=payload.code)
    visit, created = stations_services.visit_record(
        user=request.user,
        station=station,
        lat=payload.lat,
        lng=payload.lng,
        accuracy_m=payload.accuracy_m,
    )
    body = {
        "id": visit.pk,
        "station_id": station.pk,
        "day": visit.day.isoformat(),
        "visited_at": visit.visited_at,
        "created": created,
        "verified": visit.verified,
        "flagged": visit.flagged,
    }
    return (201 if created else 200), body
