"""Staff pages of a station: its check-in QR code as SVG or PNG, and the printable A4 poster.

All need a staff login: the code carries the station's check-in URL, and a public listing by
sequential id would let anyone collect every station's code and check in from afar.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from dandelion.core import qr as core_qr
from dandelion.core.errors import NotFound

from . import qr, selectors
from .hours_text import format_weekly_hours
from .models import OpeningInterval, Place, Station
from .schemas import localized

QR_MAX_AGE = 24 * 60 * 60  # the code changes only if SITE_URL does


def _open_station(station_id: int) -> Station:
    """The station unless it is unknown or closed (suspended stations keep their codes)."""
    try:
        station = selectors.station_get(station_id=station_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if station.status == Place.Status.CLOSED:
        raise Http404("This station is closed.")
    return station


@require_GET
@staff_member_required
@cache_control(private=True, max_age=QR_MAX_AGE)
def station_qr_svg(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _open_station(station_id)
    svg = core_qr.qr_svg(qr.station_checkin_url(station, request))
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
@staff_member_required
@cache_control(private=True, max_age=QR_MAX_AGE)
def station_qr_png(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _open_station(station_id)
    png = core_qr.qr_png(qr.station_checkin_url(station, request))
    return HttpResponse(png, content_type="image/png")


def _hours_summary(station: Station) -> str:
    intervals = [(i.weekday, i.opens, i.closes) for i in station.hours.all()]
    return format_weekly_hours(
        intervals,
        day_names=[str(label) for label in OpeningInterval.Weekday.labels],
        every_day=_("每天"),
        through=_("至"),
        day_separator=_("、"),
        group_separator=_("；"),
    )


@require_GET
@staff_member_required
def station_poster(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _open_station(station_id)
    context = {
        "station": station,
        "qr_svg": core_qr.qr_svg_inline(qr.station_checkin_url(station, request)),
        "hours_summary": _hours_summary(station),
        "amenities": [
            {"icon": a.icon, "name": localized(a.name_zh, a.name_en)}
            for a in station.amenities.all()
        ],
    }
    return render(request, "stations/poster.html", context)
