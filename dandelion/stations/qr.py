"""Visit QR codes of stations (打卡码): each holds the absolute URL of the station's visit page,
where a worker records a visit (打卡).

The URL carries the station's visit code secret (`Station.visit_code`), which no public output
shows, rather than its public id or uuid: holding the code is the first proof of being at the
station. Posters printed before the secret existed pointed at `/s/<uuid>/checkin`; that address
now answers that the poster is out of date (410), recording nothing."""

from django.http import HttpRequest

from dandelion.core.qr import absolute_url

from .models import Station


def station_visit_path(station: Station) -> str:
    """The path of the station's visit page; it changes when the code is rotated."""
    return f"/v/{station.visit_code}"


def station_visit_url(station: Station, request: HttpRequest | None = None) -> str:
    return absolute_url(station_visit_path(station), request)
