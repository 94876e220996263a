"""Visit QR codes of stations (打卡码): each holds the absolute URL of the station's visit page,
where a worker records a visit (打卡)."""

from django.http import HttpRequest

from dandelion.core.qr import absolute_url

from .models import Station


def station_visit_path(station: Station) -> str:
    """The path of the station's visit page. The path is printed on posters already on station
    walls, so it never changes, whatever its last segment says."""
    return f"/s/{station.uuid}/checkin"


def station_visit_url(station: Station, request: HttpRequest | None = None) -> str:
    return absolute_url(station_visit_path(station), request)
