"""Load the demo city into the database through the regions and stations services.

Loading is idempotent: each demo place carries uuid5 of its slot key (see `city.UUID_NAMESPACE`),
so a second load finds the rows it made and changes only what differs from the seed's city:
nothing, when the seed is the same. A place whose dated exceptions differ from the seed's has
them replaced, so loading another seed over a loaded city leaves exactly the new seed's
exceptions.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction

from dandelion.regions.models import Region
from dandelion.regions.selectors import regions_within
from dandelion.regions.services import regions_load_csv
from dandelion.stations.models import PartnerPlace, Station
from dandelion.stations.services import (
    partner_create,
    partner_update,
    place_set_exceptions,
    place_set_weekly_hours,
    station_create,
    station_update,
)

from .city import DEFAULT_SEED, REGIONS_CSV, PlaceSpec, StationSpec, city_build

CITY_CODE = "360400"


@dataclass
class DemoLoadSummary:
    seed: int
    regions: int = 0
    created: Counter = field(default_factory=Counter)  # "station" / "partner" → rows created
    updated: Counter = field(default_factory=Counter)
    exceptions_added: int = 0
    exceptions_removed: int = 0
    stations_by_origin: Counter = field(default_factory=Counter)
    stations_by_kind: Counter = field(default_factory=Counter)
    partners_by_kind: Counter = field(default_factory=Counter)
    stations_24h: int = 0


def _interval_set(place: Station | PartnerPlace) -> set[tuple[int, time, time]]:
    return {(i.weekday, i.opens, i.closes) for i in place.hours.all()}


def _exception_set(place: Station | PartnerPlace) -> set[tuple[date, bool, object, object, str]]:
    return {(e.date, e.closed, e.opens, e.closes, e.note) for e in place.exceptions.all()}


def _changed_fields(place: Station | PartnerPlace, spec: PlaceSpec, region: Region) -> dict:
    changed = {k: v for k, v in spec.fields().items() if getattr(place, k) != v}
    if place.region_id != region.pk:
        changed["region"] = region
    return changed


def _sync_place(
    spec: PlaceSpec,
    existing: Station | PartnerPlace | None,
    region: Region,
    summary: DemoLoadSummary,
) -> None:
    is_station = isinstance(spec, StationSpec)
    label = "station" if is_station else "partner"
    create, update = (
        (station_create, station_update) if is_station else (partner_create, partner_update)
    )
    if existing is None:
        place = create(
            uuid=spec.uuid, amenity_codes=spec.amenity_codes, region=region, **spec.fields()
        )
        summary.created[label] += 1
        hours_now: set = set()
        exceptions_now: set = set()
    else:
        place = existing
        hours_now, exceptions_now = _interval_set(place), _exception_set(place)
        changed = _changed_fields(place, spec, region)
        codes_now = {a.code for a in place.amenities.all()}
        amenities = list(spec.amenity_codes) if codes_now != set(spec.amenity_codes) else None
        if changed or amenities is not None:
            target = {"station": place} if is_station else {"partner": place}
            place = update(**target, amenity_codes=amenities, **changed)
            summary.updated[label] += 1
    if hours_now != set(spec.hours):
        place_set_weekly_hours(place=place, intervals=spec.hours)
    wanted = {(e.day, e.closed, e.opens, e.closes, e.note) for e in spec.exceptions}
    if exceptions_now != wanted:
        place_set_exceptions(
            place=place,
            exceptions=[
                {
                    "day": e.day,
                    "closed": e.closed,
                    "opens": e.opens,
                    "closes": e.closes,
                    "note": e.note,
                }
                for e in spec.exceptions
            ],
        )
        summary.exceptions_added += len(wanted - exceptions_now)
        summary.exceptions_removed += len(exceptions_now - wanted)


@transaction.atomic
def demo_city_load(*, seed: int = DEFAULT_SEED) -> DemoLoadSummary:
    """Load Jiujiang's divisions, 183 stations and its partner places; safe to run again."""
    summary = DemoLoadSummary(seed=seed)
    summary.regions = regions_load_csv(text=REGIONS_CSV.read_text(encoding="utf-8"))
    city = city_build(seed=seed)
    regions = {r.code: r for r in regions_within(code=CITY_CODE)}

    # The demo app is a leaf: it reads the stations' models directly to find its own rows.
    prefetch = ("amenities", "hours", "exceptions")
    stations = Station.objects.prefetch_related(*prefetch).in_bulk(
        [s.uuid for s in city.stations], field_name="uuid"
    )
    partners = PartnerPlace.objects.prefetch_related(*prefetch).in_bulk(
        [p.uuid for p in city.partners], field_name="uuid"
    )
    # Another seed may give a station the name another demo station holds now; free the names
    # that change first, so one name per region holds at every step of the transaction.
    for spec in city.stations:
        current = stations.get(spec.uuid)
        if current is not None and current.name != spec.name:
            stations[spec.uuid] = station_update(station=current, name=f"demo-{spec.uuid}")
    for spec in city.stations:
        _sync_place(spec, stations.get(spec.uuid), regions[spec.region_code], summary)
        summary.stations_by_origin[spec.origin] += 1
        summary.stations_by_kind[spec.kind] += 1
        summary.stations_24h += spec.is_24h
    for spec in city.partners:
        _sync_place(spec, partners.get(spec.uuid), regions[spec.region_code], summary)
        summary.partners_by_kind[spec.kind] += 1
    return summary
