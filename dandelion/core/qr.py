"""QR codes (segno) and the absolute links they carry, shared by every app that prints a code.

A printed code outlives any one request, so a configured `SITE_URL` (the canonical public
address) wins over the host a staff member happens to open the page on; without it the
request's own host is used.
"""

import io

import segno
from django.conf import settings
from django.http import HttpRequest

# Medium error correction survives a smudged or partly torn poster; segno raises it further
# when the URL leaves room in the chosen version.
ERROR_CORRECTION = "m"
PNG_SCALE = 10
SVG_SCALE = 8
BORDER = 4
FALLBACK_SITE_URL = "http://localhost:8000"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    site_url = settings.SITE_URL.rstrip("/")
    if site_url or request is None:
        return f"{site_url or FALLBACK_SITE_URL}{path}"
    return request.build_absolute_uri(path)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=PNG_SCALE, border=BORDER)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=SVG_SCALE, border=BORDER, title=url)
    return buffer.getvalue()


def qr_svg_inline(url: str) -> str:
    """An <svg> element for embedding in a page; it scales to its box (no fixed size)."""
    return qr_code(url).svg_inline(scale=SVG_SCALE, border=BORDER, omitsize=True)
