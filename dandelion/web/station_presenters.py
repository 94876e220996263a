"""What the H5 station page adds to the API's station payload: its stars in words, its small
map, and the services the station held lately (from its work log)."""

from django.utils.translation import gettext as _

from dandelion.core.i18n import localized
from dandelion.stations import selectors as station_selectors

RECENT_SERVICES = 5


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars)


def station_extras(station, *, tiles: dict) -> dict:
    """`station` as `stations.selectors.station_page` loads it."""
    services = [
        {
            "date": entry.date,
            "kind": localized(entry.kind.name_zh, entry.kind.name_en),
            "people_served": entry.people_served,
            "bottles": entry.bottles,
        }
        for entry in station_selectors.station_recent_services(
            station=station, limit=RECENT_SERVICES
        )
    ]
    return {
        "stars_text": stars_text(station.stars),
        "recent_services": services,
        "mini_map": {
            "lat": station.lat,
            "lng": station.lng,
            "name": station.name,
            "tiles": tiles,
            "label": _("驿站位置"),
        },
    }
