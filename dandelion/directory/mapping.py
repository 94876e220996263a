"""The directory as HSDS 3.1 objects, built from the other apps' selectors in a fixed number of
queries whatever its size (a city's network: hundreds of places, tens of menu items).

What maps to what (docs/hsds.md says it for readers):
- organization: the publisher (the programme itself); each station's host organisation (by its
  name, within its city); each partner place (the merchant or corner is its own organisation);
  each active organisation that provides a menu item.
- location: each station and partner place that is not closed, with its address, its public
  phone and its schedules (`schedules.place_schedules`).
- service: each such place's offer (its amenities as attributes; suspended → temporarily
  closed), and each menu item as offered by each of its providers (by the publisher when it has
  none), with the regions it serves as service areas.
- service_at_location: a place's service at the place.
- taxonomy / taxonomy_term: the amenity catalogue; the menu's categories and items.

Never shown: a station's visit code (the poster secret; not even loaded), anyone's personal
phone (people are not in the directory at all), database ids.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from dandelion.catalog.selectors import ancestor_codes, categories_active, items_for_directory
from dandelion.orgs.selectors import organisations_active
from dandelion.regions.selectors import regions_by_code
from dandelion.stations.selectors import PlaceStatus, amenity_list, places_for_directory

from .entries import Directory, Entry, text_of
from .ids import hsds_id
from .schedules import place_schedules
from .taxonomy import (
    TAXONOMY_AMENITIES,
    TAXONOMY_MENU,
    amenity_term_id,
    attribute,
    category_term_id,
    item_term_id,
    taxonomies_add,
    terms_add,
)

COUNTRY = "CN"
PUBLISHER_ID = hsds_id("organization", "publisher")

SERVICE_STATUS = {
    PlaceStatus.ACTIVE: "active",
    PlaceStatus.SUSPENDED: "temporarily closed",
    PlaceStatus.CLOSED: "defunct",
}


def publisher_name() -> str:
    return settings.SITE_NAME or "蒲公英 Dandelion"


def _organization(d: Directory, oid: str, obj: dict, *, modified=None) -> None:
    obj = {"id": oid, **obj}
    d.organizations[oid] = Entry(
        obj,
        text=text_of(obj["name"], obj.get("alternate_name"), obj["description"]),
        organization_id=oid,
        modified=modified,
    )


def _address(place, kind: str, location_id: str, names: dict[str, str]) -> dict:
    code = place.region.code
    return {
        "id": hsds_id("address", kind, place.uuid),
        "location_id": location_id,
        "address_1": place.address,
        "city": names.get(code[:4] + "00", ""),
        "region": names.get(code[:6], "") if code[:6] != code[:4] + "00" else "",
        "state_province": names.get(code[:2] + "0000", ""),
        "postal_code": "",
        "country": COUNTRY,
        "address_type": "physical",
        "division_code": code,
    }


def _place(d: Directory, place, kind: str, names: dict[str, str], today: date, org_id: str):
    """The location, service and service_at_location of one station or partner place."""
    location_id = hsds_id("location", kind, place.uuid)
    service_id = hsds_id("service", kind, place.uuid)
    link_id = hsds_id("service_at_location", kind, place.uuid)
    amenities = list(place.amenities.all())
    phones = []
    if place.phone:
        phones.append(
            {
                "id": hsds_id("phone", kind, place.uuid),
                "location_id": location_id,
                "number": place.phone,
                "type": "voice",
            }
        )
    location = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": org_id,
        "name": place.name,
        "description": getattr(place, "notes", "") or getattr(place, "offer", ""),
        "latitude": place.lat,
        "longitude": place.lng,
        "addresses": [_address(place, kind, location_id, names)],
        "phones": phones,
        "schedules": place_schedules(place, location_id=location_id, kind=kind, today=today),
        "place_type": kind,
        "place_kind": place.kind,
    }
    if kind == "station":
        location["station_origin"] = place.origin
    location["attributes"] = [
        attribute(location_id, "location", d.taxonomy_terms[amenity_term_id(a.code)].object)
        for a in amenities
    ]
    terms = {amenity_term_id(a.code) for a in amenities}
    d.locations[location_id] = Entry(
        location,
        text=text_of(place.name, place.address),
        term_ids=terms,
        taxonomy_ids={TAXONOMY_AMENITIES} if terms else set(),
        organization_id=org_id,
        modified=place.updated_at,
        point=(place.lat, place.lng),
    )
    names_of_amenities = "、".join(a.name_zh for a in amenities)
    description = (f"设施：{names_of_amenities}" if names_of_amenities else "驿站服务") + (
        f"。{place.offer}" if getattr(place, "offer", "") else ""
    )
    service = {
        "id": service_id,
        "organization_id": org_id,
        "name": place.name,
        "description": description,
        "status": SERVICE_STATUS[place.status],
        "last_modified": place.updated_at.isoformat(),
        "attributes": [
            attribute(service_id, "service", d.taxonomy_terms[t].object) for t in sorted(terms)
        ],
        "service_areas": [],
        "capacities": [],
    }
    d.services[service_id] = Entry(
        service,
        text=text_of(place.name, description),
        term_ids=terms,
        taxonomy_ids=d.locations[location_id].taxonomy_ids,
        organization_id=org_id,
        modified=place.updated_at,
    )
    d.service_at_locations[link_id] = Entry(
        {"id": link_id, "service_id": service_id, "location_id": location_id},
        text=text_of(place.name, place.address, description),
        term_ids=terms,
        taxonomy_ids=d.locations[location_id].taxonomy_ids,
        organization_id=org_id,
        modified=place.updated_at,
        point=(place.lat, place.lng),
        service_id=service_id,
        location_id=location_id,
    )


def directory_build(*, now: datetime | None = None) -> Directory:
    """Every object of the directory. Queries: amenities, categories, items (+ providers,
    regions served), organisations, stations and partners (+ amenities, hours, exceptions),
    the regions named in addresses: the same number for one row or a thousand."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    d = Directory()
    taxonomies_add(d)
    items = list(items_for_directory())
    categories = [c for c in categories_active() if any(i.category_id == c.pk for i in items)]
    terms_add(d, list(amenity_list()), categories, items)

    publisher = {
        "name": publisher_name(),
        "description": "发布本目录的新就业群体服务平台（驿站网络与服务清单）。",
    }
    if settings.SITE_URL:
        publisher["website"] = settings.SITE_URL
    _organization(d, PUBLISHER_ID, publisher)

    stations, partners = places_for_directory(since=today - timedelta(days=2))
    stations, partners = list(stations), list(partners)
    codes = {c for p in [*stations, *partners] for c in ancestor_codes(p.region.code)}
    names = {r.code: r.name for r in regions_by_code(codes=codes)}

    for org in organisations_active():
        oid = hsds_id("organization", "org", org.pk)
        _organization(
            d,
            oid,
            {
                "name": org.name,
                "description": org.description or org.get_kind_display(),
                "organization_kind": org.kind,
                "division_code": org.region.code,
            },
            modified=org.updated_at,
        )
    # Of the organisation tree, only those the directory has something of: the providers of
    # menu items (departments, unions, social organisations…).
    provided = {oid for item in items for oid in _provider_ids(item)}
    for oid in set(d.organizations) - provided - {PUBLISHER_ID}:
        del d.organizations[oid]

    for station in stations:
        org_id = PUBLISHER_ID
        if station.host_org_name:
            org_id = hsds_id("organization", "host", station.city_code, station.host_org_name)
            if org_id not in d.organizations:
                _organization(
                    d,
                    org_id,
                    {
                        "name": station.host_org_name,
                        "description": f"承建/托管驿站的单位：{station.host_org_name}",
                        "division_code": station.city_code,
                    },
                )
        _place(d, station, "station", names, today, org_id)
    for partner in partners:
        org_id = hsds_id("organization", "partner", partner.uuid)
        phones = []
        if partner.phone:
            phones.append(
                {
                    "id": hsds_id("phone", "partner-organization", partner.uuid),
                    "organization_id": org_id,
                    "number": partner.phone,
                    "type": "voice",
                }
            )
        _organization(
            d,
            org_id,
            {
                "name": partner.name,
                "description": partner.offer or partner.get_kind_display(),
                "phones": phones,
                "organization_kind": partner.kind,
                "division_code": partner.region.code,
            },
            modified=partner.updated_at,
        )
        _place(d, partner, "partner", names, today, org_id)

    for item in items:
        _menu_item(d, item)
    return d


def _provider_ids(item) -> list[str]:
    return sorted(hsds_id("organization", "org", o.pk) for o in item.providers.all() if o.is_active)


def _menu_item(d: Directory, item) -> None:
    term = d.taxonomy_terms[item_term_id(item.code)].object
    category = category_term_id(item.category.code)
    areas = sorted(item.regions_served.all(), key=lambda r: r.code)
    for org_id in _provider_ids(item) or [PUBLISHER_ID]:
        service_id = hsds_id("service", "item", item.code, org_id)
        service = {
            "id": service_id,
            "organization_id": org_id,
            "name": item.name,
            "alternate_name": item.name_en,
            "description": item.description or item.name,
            "status": "active",
            "last_modified": item.updated_at.isoformat(),
            "attributes": [attribute(service_id, "service", term)],
            "service_areas": [
                {
                    "id": hsds_id("service_area", service_id, region.code),
                    "service_id": service_id,
                    "name": region.name,
                    "extent_type": "division_code",
                    "extent": region.code,
                    "division_code": region.code,
                }
                for region in areas
            ],
            "capacities": [],
        }
        d.services[service_id] = Entry(
            service,
            text=text_of(item.name, item.name_en, item.description, item.description_en),
            term_ids={term["id"], category},
            taxonomy_ids={TAXONOMY_MENU},
            organization_id=org_id,
            modified=item.updated_at,
        )
