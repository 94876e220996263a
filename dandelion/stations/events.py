"""Events the stations app publishes (`core.events`)."""

from datetime import date
from uuid import UUID

from dandelion.core.events import Event, declare


@declare
class VisitRecorded(Event):
    """A worker's first visit (打卡) of the day at a station; `occurred_at` is when they were
    there. `verified`: the device's location put them at the station. `flagged`: held for
    review (too far from their other visits for the time between); a reviewer who accepts it
    announces it again, unflagged."""

    name = "stations.visit_recorded"

    visit_id: int
    user_id: int
    station_id: int
    station_name: str
    region_code: str
    verified: bool
    flagged: bool = False


@declare
class StarsChanged(Event):
    """A station's star level (星级) or its validity changed (`services.station_stars_set`):
    awarded by an approved assessment, expired, or taken away by a veto rule. `stars` 0 is
    unrated; `valid_until` is the last day the level holds (None: no end)."""

    name = "stations.stars_changed"

    station_id: int
    station_uuid: UUID
    region_code: str
    city_code: str
    stars: int
    previous_stars: int
    valid_until: date | None
    reason: str


@declare
class ServiceLogged(Event):
    """A station logged a service it held (`services.service_log_add`): on `date` (the station's
    local day), of `kind` (a `ServiceKind` code), serving `people_served`, with `bottles` given
    for free-drinks fridge refills (None for other kinds). `occurred_at` is when it was logged;
    count by `date`. `log_id` keys the entry for idempotent consumers."""

    name = "stations.service_logged"

    log_id: int
    station_id: int
    region_code: str
    city_code: str
    date: date
    kind: str
    people_served: int
    bottles: int | None


@declare
class StationChanged(Event):
    """A station was created (`created`), or changed what it is or where: its status, kind,
    origin, 24-hour opening or region (`services.station_create`, `station_update`,
    `place_set_weekly_hours`; nothing is announced for other fields, and stars are
    `StarsChanged`). `changed` names the fields that changed (empty on creation);
    `previous_region_code` is the region before a move (None otherwise). `occurred_at` is then."""

    name = "stations.station_changed"

    station_id: int
    station_uuid: UUID
    region_code: str
    previous_region_code: str | None = None
    city_code: str
    status: str
    kind: str
    origin: str
    is_24h: bool
    created: bool = False
    changed: tuple[str, ...] = ()


@declare
class PartnerChanged(Event):
    """A partner place (合作场所) was created (`created`), or changed its status, kind, 24-hour
    opening or region (`services.partner_create`, `partner_update`, `place_set_weekly_hours`;
    nothing is announced for other fields). `changed` names the fields that changed (empty on
    creation); `previous_region_code` is the region before a move (None otherwise).
    `occurred_at` is then."""

    name = "stations.partner_changed"

    partner_id: int
    partner_uuid: UUID
    region_code: str
    previous_region_code: str | None = None
    city_code: str
    status: str
    kind: str
    is_24h: bool
    created: bool = False
    changed: tuple[str, ...] = ()
