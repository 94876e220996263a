"""Check-in QR codes of stations (报到码), made with segno.

The code holds an absolute URL of the station's check-in page. Printed posters outlive any one
request, so a configured `SITE_URL` (the canonical public address) wins over the host a staff
member happens to open the page on; without it the request's own host is used.
"""

import io

import segno
from django.conf import settings
from django.http import HttpRequest

from .models import Station

# Medium error correction survives a smudged or partly torn poster; segno raises it further
# when the URL leaves room in the chosen version.
ERROR_CORRECTION = "m"
PNG_SCALE = 10
SVG_SCALE = 8


def station_checkin_path(station: Station) -> str:
    """The path of the station's check-in page (built in a later issue)."""
    return f"/s/{station.uuid}/checkin"


def station_checkin_url(station: Station, request: HttpRequest | None = None) -> str:
    site_url = getattr(settings, "SITE_URL", "").rstrip("/")
    path = station_checkin_path(station)
    if site_url or request is None:
        return f"{site_url or 'http://localhost:8000'}{path}"
    return request.build_absolute_uri(path)


def checkin_qr(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    checkin_qr(url).save(buffer, kind="png", scale=PNG_SCALE, border=4)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    checkin_qr(url).save(buffer, kind="svg", scale=SVG_SCALE, border=4, title=url)
    return buffer.getvalue()


def qr_svg_inline(url: str) -> str:
    """An <svg> element for embedding in a page; it scales to its box (no fixed size)."""
    return checkin_qr(url).svg_inline(scale=SVG_SCALE, border=4, omitsize=True)
