"""How a place reads: one payload for the API's answers and the H5 station page.

It sits beside the selectors rather than inside `api/` because the H5 pages (web) read the
same payload, through `selectors.station_page`. Nearby hits are encoded once per index and
place (`nearby_item`): that is the nearby endpoint's hot path, so keep it lean.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import orjson
from django.utils import timezone

from dandelion.core.geo import from_wgs84, navigation_links, travel_minutes
from dandelion.core.i18n import is_english, localized

from .models import Amenity, PartnerPlace, Place, Station
from .opening import place_is_open
from .place_index import AmenityInfo

if TYPE_CHECKING:
    from .selectors import NearbyHit


def _amenities(amenities: Iterable[Amenity | AmenityInfo], english: bool) -> list[dict]:
    return [
        {
            "code": a.code,
            "name": a.name_en if english else a.name_zh,
            "name_zh": a.name_zh,
            "name_en": a.name_en,
            "icon": a.icon,
        }
        for a in amenities
    ]


def amenity_payload(amenity: Amenity) -> dict:
    """A catalogue entry; its `name` falls back to Chinese where it has no English name."""
    return {
        "code": amenity.code,
        "name": localized(amenity.name_zh, amenity.name_en),
        "name_zh": amenity.name_zh,
        "name_en": amenity.name_en,
        "icon": amenity.icon,
    }


def _place_fields(
    *,
    pk: int,
    is_station: bool,
    name: str,
    kind_label: str,
    wgs84: tuple[float, float],
    coord: str,
    region: tuple[str, str],
    **fields,
) -> dict:
    """The fields every place representation shares, in the requested datum, in one order."""
    lat, lng = from_wgs84(*wgs84, coord)
    return {
        "id": pk,
        "type": "station" if is_station else "partner",
        "name": name,
        "kind": fields["kind"],
        "kind_label": kind_label,
        "address": fields["address"],
        "lat": round(lat, 7),
        "lng": round(lng, 7),
        "coord": coord,
        "region": {"code": region[0], "name": region[1]},
        "phone": fields["phone"],
        "is_24h": fields["is_24h"],
        "open_now": fields["open_now"],
        "amenities": fields["amenities"],
        "navigation": navigation_links(lat=wgs84[0], lng=wgs84[1], name=name),
    }


def place_payload(
    place: Place, *, moment: datetime, coord: str = "wgs84", open_now: bool | None = None
) -> dict:
    """A place loaded with `selectors.place_list_detailed` as lists and details show it."""
    payload = _place_fields(
        pk=place.pk,
        is_station=isinstance(place, Station),
        name=place.name,
        kind=place.kind,
        kind_label=str(place.get_kind_display()),
        address=place.address,
        wgs84=(place.lat, place.lng),
        coord=coord,
        region=(place.region.code, place.region.name),
        phone=place.phone,
        is_24h=place.is_24h,
        open_now=place_is_open(place, moment) if open_now is None else open_now,
        amenities=_amenities(place.amenities.all(), is_english()),
    )
    payload["status"] = place.status
    return payload


def nearby_item(hit: "NearbyHit", *, coord: str, english: bool) -> orjson.Fragment:
    """A nearby hit, from the nearby index, as JSON with exactly `NearbyOut`'s fields. What
    depends only on the place, the language and the datum is built and encoded once per index;
    each answer adds only whether the place is open and how far it is."""
    place = hit.place

    def fixed() -> bytes:
        is_station = place.type == "station"
        kinds = Station.Kind if is_station else PartnerPlace.Kind
        fields = _place_fields(
            pk=place.id,
            is_station=is_station,
            name=place.name,
            kind=place.kind,
            kind_label=str(kinds(place.kind).label),
            address=place.address,
            wgs84=(place.lat, place.lng),
            coord=coord,
            region=(place.region_code, place.region_name),
            phone=place.phone,
            is_24h=place.is_24h,
            open_now=None,
            amenities=_amenities(hit.amenities, english),
        )
        del fields["open_now"]
        fields["offer"] = place.offer
        fields["stars"] = place.stars
        fields["stars_valid_until"] = place.stars_valid_until
        return orjson.dumps(fields)[:-1]  # the object left open for the fields below

    return orjson.Fragment(
        b'%b,"open_now":%b,"distance_m":%b,"walking_minutes":%d,"riding_minutes":%d}'
        % (
            hit.index.derived(("nearby", place.type, place.id, coord, english), fixed),
            b"true" if hit.open_now else b"false",
            orjson.dumps(round(hit.distance_m, 1)),
            travel_minutes(hit.distance_m, "walk"),
            travel_minutes(hit.distance_m, "e_bike"),
        )
    )


def partner_payload(partner: PartnerPlace, *, moment: datetime, coord: str = "wgs84") -> dict:
    return {
        **place_payload(partner, moment=moment, coord=coord),
        "uuid": str(partner.uuid),
        "offer": partner.offer,
    }


def clock_text(value):
    """A wall-clock time as the API sends it: `HH:MM:SS`, no offset (the place's own zone)."""
    return value.isoformat() if value is not None else None


def hours_payload(place: Place, moment: datetime) -> dict:
    today = timezone.localdate(moment)
    return {
        "hours": [
            {"weekday": i.weekday, "opens": clock_text(i.opens), "closes": clock_text(i.closes)}
            for i in place.hours.all()
        ],
        "exceptions": [
            {
                "date": e.date,
                "closed": e.closed,
                "opens": clock_text(e.opens),
                "closes": clock_text(e.closes),
                "note": e.note,
            }
            for e in place.upcoming_exceptions
            if e.date >= today - timedelta(days=1)
        ],
    }


def station_payload(station: Station, *, moment: datetime, coord: str = "wgs84") -> dict:
    return {
        **place_payload(station, moment=moment, coord=coord),
        "uuid": str(station.uuid),
        "origin": station.origin,
        "origin_label": str(station.get_origin_display()),
        "host_org_name": station.host_org_name,
        "area_m2": station.area_m2,
        "seats": station.seats,
        "stars": station.stars,
        "stars_valid_until": station.stars_valid_until,
    }


def _routed(payload: dict, place: Place, mode: str) -> dict:
    """Navigation links planning a route for `mode` (walk, ride, drive); lists route riding."""
    if mode != "ride":
        payload["navigation"] = navigation_links(
            lat=place.lat, lng=place.lng, name=place.name, mode=mode
        )
    return payload


def station_detail_payload(
    station: Station, *, moment: datetime, coord: str = "wgs84", mode: str = "ride"
) -> dict:
    """A station loaded with `selectors.station_get`, with its hours, photos and notes."""
    payload = {
        **station_payload(station, moment=moment, coord=coord),
        **hours_payload(station, moment),
        "photos": [{"url": p.image.url, "caption": p.caption} for p in station.photos.all()],
        "notes": station.notes,
    }
    return _routed(payload, station, mode)


def partner_detail_payload(
    partner: PartnerPlace, *, moment: datetime, coord: str = "wgs84", mode: str = "ride"
) -> dict:
    payload = {
        **partner_payload(partner, moment=moment, coord=coord),
        **hours_payload(partner, moment),
    }
    return _routed(payload, partner, mode)


def geojson_feature(place: Place, *, moment: datetime) -> dict:
    kind = "station" if isinstance(place, Station) else "partner"
    return {
        "type": "Feature",
        "id": f"{kind}-{place.pk}",
        "geometry": {"type": "Point", "coordinates": [round(place.lng, 7), round(place.lat, 7)]},
        "properties": {
            "id": place.pk,
            "type": kind,
            "name": place.name,
            "kind": place.kind,
            "kind_label": str(place.get_kind_display()),
            "address": place.address,
            "is_24h": place.is_24h,
            "open_now": place_is_open(place, moment),
            "amenities": [a.code for a in place.amenities.all()],
            "stars": getattr(place, "stars", 0),
            "stars_valid_until": getattr(place, "stars_valid_until", None),
        },
    }
