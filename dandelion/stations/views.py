"""Pages of a station for those who run it: its visit QR code (打卡码) as SVG or PNG, and the
printable A4 poster.

The code carries the station's visit URL, and these pages take the station's sequential id, so
whoever could open them could collect every station's code and record visits from afar. Only
those who may `station.print_poster` the station get it (`selectors.station_for_poster`); the
pages sign in anyone anonymous and refuse everyone else.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from dandelion.core import qr as core_qr
from dandelion.core.i18n import localized

from . import qr, selectors
from .hours_text import format_weekly_hours
from .models import OpeningInterval, Station

# The code is a secret that a rotation replaces: no cache keeps it, nor an old one.
no_store = cache_control(private=True, no_store=True, max_age=0)

# Those who print posters sign in to the admin, where the links to these pages are.
print_login_required = login_required(login_url="admin:login")


def _printable_station(request: HttpRequest, station_id: int) -> Station:
    return selectors.station_for_poster(
        actor=request.user, station_id=station_id, moment=timezone.now()
    )


@require_GET
@print_login_required
@no_store
def station_qr_svg(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _printable_station(request, station_id)
    svg = core_qr.qr_svg(qr.station_visit_url(station, request))
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
@print_login_required
@no_store
def station_qr_png(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _printable_station(request, station_id)
    png = core_qr.qr_png(qr.station_visit_url(station, request))
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
@print_login_required
@no_store
def station_poster(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _printable_station(request, station_id)
    context = {
        "station": station,
        "qr_svg": core_qr.qr_svg_inline(qr.station_visit_url(station, request)),
        "hours_summary": _hours_summary(station),
        "amenities": [
            {"icon": a.icon, "name": localized(a.name_zh, a.name_en)}
            for a in station.amenities.all()
        ],
    }
    return render(request, "stations/poster.html", context)
