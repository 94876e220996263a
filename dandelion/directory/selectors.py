"""Reads of the HSDS directory: lists with the specification's filters, and single objects.

The directory is built whole for each request (`mapping.directory_build`, a fixed number of
queries), then filtered, ordered and paged here; a city's network is small enough for that."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.geo import haversine_m, valid_wgs84

from .entries import Directory, Entry
from .errors import DirectoryError
from .mapping import directory_build

MAX_PROXIMITY_M = 100_000


@dataclass(frozen=True)
class Filters:
    search: str | None = None
    taxonomy_id: str | None = None
    taxonomy_term_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None


@dataclass(frozen=True)
class Page:
    contents: list[dict]
    total_items: int
    page_number: int
    per_page: int

    def envelope(self) -> dict:
        total_pages = math.ceil(self.total_items / self.per_page)
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.page_number,
            "size": len(self.contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= total_pages,
            "empty": not self.contents,
            "contents": self.contents,
        }


def _matches(entry: Entry, filters: Filters) -> bool:
    if filters.search and filters.search.casefold() not in entry.text:
        return False
    if filters.taxonomy_id and filters.taxonomy_id not in entry.taxonomy_ids:
        return False
    if filters.taxonomy_term_id and filters.taxonomy_term_id not in entry.term_ids:
        return False
    if filters.organization_id and filters.organization_id != entry.organization_id:
        return False
    return not (
        filters.modified_after
        and (entry.modified is None or entry.modified < filters.modified_after)
    )


def _not_found(entity: str) -> NotFound:
    return NotFound(_("没有这项内容。"), code=CoreError.NOT_FOUND, extra={"entity": entity})


def _get(entries: dict[str, Entry], object_id: str, entity: str) -> Entry:
    entry = entries.get(object_id.lower())
    if entry is None:
        raise _not_found(entity)
    return entry


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.object.get("name") or "", e.object["id"]))


# ---- shapes: an object alone, or fully nested (`full`) ----


def service_object(d: Directory, entry: Entry, *, full: bool) -> dict:
    service = dict(entry.object)
    if full:
        service["organization"] = dict(d.organizations[entry.organization_id].object)
        service["service_at_locations"] = [
            {**link.object, "location": dict(d.locations[link.location_id].object)}
            for link in d.links_of(service["id"])
        ]
    return service


def service_at_location_object(d: Directory, entry: Entry, *, full: bool) -> dict:
    link = dict(entry.object)
    if full:
        link["service"] = dict(d.services[entry.service_id].object)
        link["location"] = dict(d.locations[entry.location_id].object)
    return link


def organization_object(d: Directory, entry: Entry, *, full: bool) -> dict:
    organization = dict(entry.object)
    if full:
        oid = organization["id"]
        organization["services"] = [dict(s.object) for s in _sorted(d.services_of(oid))]
        organization["locations"] = [dict(loc.object) for loc in _sorted(d.locations_of(oid))]
    return organization


# ---- lists ----


def services_matching(*, filters: Filters, full: bool = False) -> list[dict]:
    d = directory_build()
    return [
        service_object(d, e, full=full)
        for e in _sorted(d.services.values())
        if _matches(e, filters)
    ]


def organizations_matching(*, filters: Filters, full: bool = False) -> list[dict]:
    d = directory_build()
    by_org_terms: dict[str, tuple[set[str], set[str]]] = {}
    for service in d.services.values():
        terms, taxonomies = by_org_terms.setdefault(service.organization_id, (set(), set()))
        terms |= service.term_ids
        taxonomies |= service.taxonomy_ids
    found = []
    for entry in _sorted(d.organizations.values()):
        terms, taxonomies = by_org_terms.get(entry.object["id"], (set(), set()))
        linked = Entry(
            entry.object,
            text=entry.text,
            term_ids=terms,
            taxonomy_ids=taxonomies,
            organization_id=entry.organization_id,
            modified=entry.modified,
        )
        if _matches(linked, filters):
            found.append(organization_object(d, entry, full=full))
    return found


def proximity_point(
    *, lat: float | None, lng: float | None, proximity: float | None
) -> tuple[float, float, float] | None:
    """(lat, lng, metres) of a proximity search, or None; `proximity` and the point go
    together."""
    if lat is None and lng is None and proximity is None:
        return None
    if lat is None or lng is None or proximity is None:
        message = _("邻近查询需要同时给出 lat、lng 和 proximity（米）。")
        raise InvalidInput(
            message,
            code=DirectoryError.INVALID_PROXIMITY,
            errors=[
                field_error(name, DirectoryError.INVALID_PROXIMITY, message, loc=["query", name])
                for name, value in (("lat", lat), ("lng", lng), ("proximity", proximity))
                if value is None
            ],
        )
    if not valid_wgs84(lat, lng) or not 0 <= proximity <= MAX_PROXIMITY_M:
        message = _("lat、lng 应是 WGS-84 坐标，proximity 应在 0 到 %(max)d 米之间。") % {
            "max": MAX_PROXIMITY_M
        }
        raise InvalidInput(
            message,
            code=DirectoryError.INVALID_PROXIMITY,
            errors=[
                field_error(
                    "proximity",
                    DirectoryError.INVALID_PROXIMITY,
                    message,
                    loc=["query", "proximity"],
                )
            ],
        )
    return lat, lng, proximity


def service_at_locations_matching(
    *, filters: Filters, full: bool = False, near: tuple[float, float, float] | None = None
) -> list[dict]:
    """Matching links; with `near` (lat, lng, metres), only those whose location is within that
    great-circle distance of the point, nearest first."""
    d = directory_build()
    found = [e for e in _sorted(d.service_at_locations.values()) if _matches(e, filters)]
    if near is not None:
        lat, lng, radius = near
        distances = {e.object["id"]: haversine_m(lat, lng, *e.point) for e in found}
        found = sorted(
            (e for e in found if distances[e.object["id"]] <= radius),
            key=lambda e: distances[e.object["id"]],
        )
    return [service_at_location_object(d, e, full=full) for e in found]


def taxonomies_matching(*, search: str | None = None) -> list[dict]:
    d = directory_build()
    filters = Filters(search=search)
    return [dict(e.object) for e in _sorted(d.taxonomies.values()) if _matches(e, filters)]


def taxonomy_terms_matching(
    *,
    search: str | None = None,
    taxonomy_id: str | None = None,
    parent_id: str | None = None,
    top_only: bool = False,
) -> list[dict]:
    d = directory_build()
    filters = Filters(search=search, taxonomy_id=taxonomy_id)
    return [
        dict(e.object)
        for e in _sorted(d.taxonomy_terms.values())
        if _matches(e, filters)
        and (parent_id is None or e.object.get("parent_id") == parent_id)
        and not (top_only and e.object.get("parent_id"))
    ]


def page_of(rows: list[dict], *, page: int, per_page: int) -> Page:
    start = (page - 1) * per_page
    return Page(rows[start : start + per_page], len(rows), page, per_page)


# ---- one object ----


def service_get(*, service_id: str) -> dict:
    d = directory_build()
    return service_object(d, _get(d.services, service_id, "service"), full=True)


def organization_get(*, organization_id: str) -> dict:
    d = directory_build()
    return organization_object(d, _get(d.organizations, organization_id, "organization"), full=True)


def service_at_location_get(*, service_at_location_id: str) -> dict:
    d = directory_build()
    entry = _get(d.service_at_locations, service_at_location_id, "service_at_location")
    return service_at_location_object(d, entry, full=True)


def taxonomy_get(*, taxonomy_id: str) -> dict:
    d = directory_build()
    return dict(_get(d.taxonomies, taxonomy_id, "taxonomy").object)


def taxonomy_term_get(*, taxonomy_term_id: str) -> dict:
    d = directory_build()
    return dict(_get(d.taxonomy_terms, taxonomy_term_id, "taxonomy_term").object)
