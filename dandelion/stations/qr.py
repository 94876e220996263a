"""Check-in QR codes of stations (报到码): each holds the absolute URL of the station's
check-in page."""

from django.http import HttpRequest

from dandelion.core.qr import absolute_url

from .models import Station


def station_checkin_path(station: Station) -> str:
    """The path of the station's check-in page (built in a later issue)."""
    return f"/s/{station.uuid}/checkin"


def station_checkin_url(station: Station, request: HttpRequest | None = None) -> str:
    return absolute_url(station_checkin_path(station), request)
