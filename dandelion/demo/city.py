"""The demo city: Jiujiang's (九江) 183 warm stations and its partner places, as plain data.

Everything here is a pure function of the seed: `city_build(seed=2023)` twice gives equal
values, whatever the database holds and whatever day it is. The loader (`demo.services`) turns
the values into rows through the stations and regions services.

The mix follows the programmes: 183 stations (Jiujiang's figure), comprehensive (综合站) and
specialized ones (骑手之家, 司机之家, 快递员驿站, others); origins in Wuhu's proportions
415 : 144 : 318 between renovated, newly built and partner-hosted; about 12% open 24 hours.
"""

import csv
import hashlib
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import vocabulary as words
from .geography import STREET_AREAS, point_in_street
from .naming import UniqueNames, Where, merchant_identity, phone, station_identity
from .schedule import (
    PARTNER_TEMPLATES,
    STATION_TEMPLATES,
    ExceptionSpec,
    Interval,
    partner_exceptions,
    pick_template,
    station_exceptions,
)

DEFAULT_SEED = 2023
REGIONS_CSV = Path(__file__).parent / "data" / "jiujiang_regions.csv"
# Demo rows get uuid5(namespace, key): the key names a slot of the demo city, not a seed, so
# loading another seed updates the same rows instead of adding a second city.
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://dandelion.invalid/demo/jiujiang")

# (origin, kind) → number of stations; 87 renovated, 30 new, 66 partner-hosted = 183.
STATION_MIX: dict[tuple[str, str], int] = {
    ("renovated", "comprehensive"): 52,
    ("renovated", "rider_home"): 15,
    ("renovated", "courier"): 10,
    ("renovated", "other"): 8,
    ("renovated", "driver_home"): 2,
    ("new_build", "rider_home"): 12,
    ("new_build", "driver_home"): 10,
    ("new_build", "courier"): 6,
    ("new_build", "comprehensive"): 2,
    ("partner_bank", "comprehensive"): 24,
    ("partner_telecom", "comprehensive"): 16,
    ("partner_telecom", "rider_home"): 4,
    ("partner_merchant", "rider_home"): 9,
    ("partner_merchant", "courier"): 6,
    ("partner_merchant", "other"): 4,
    ("partner_merchant", "driver_home"): 2,
    ("partner_merchant", "comprehensive"): 1,
}
STATIONS_24H = 22
CARING_MERCHANTS = 40
SERVICE_CORNERS = 17

# How many places each street draws, roughly by its share of the city's workers.
STREET_WEIGHTS = {
    "360403001": 14,
    "360403002": 9,
    "360403003": 11,
    "360403004": 12,
    "360403005": 14,
    "360403006": 14,
    "360403091": 12,
    "360403092": 9,
    "360402001": 24,
    "360402002": 20,
    "360402103": 8,
    "360404001": 22,
    "360404002": 14,
}
# Drivers' homes sit by the port, the station, logistics parks and the ring roads.
DRIVER_STREET_WEIGHTS = {"360403006": 4, "360404001": 4, "360403092": 3, "360403005": 3}
WEIGHT_24H = {"rider_home": 3, "driver_home": 3, "courier": 2, "comprehensive": 1, "other": 1}

STANDARD_AMENITIES = ("drinking_water", "hot_water", "microwave", "first_aid", "books")
KIND_AMENITIES = {
    "rider_home": ("battery_swap", "ebike_charging", "repair_tools", "ebike_parking"),
    "driver_home": ("truck_parking", "shower", "toilet"),
    "courier": ("ebike_charging", "ebike_parking"),
}
EXTRA_AMENITIES = (
    "phone_charging",
    "toilet",
    "rest_seats",
    "air_conditioning",
    "umbrella",
    "wifi",
    "free_drinks",
    "ebike_parking",
)
PARTNER_AMENITIES = ("toilet", "phone_charging", "microwave", "rest_seats", "umbrella")
AREA_M2 = {
    "comprehensive": (60, 300),
    "rider_home": (30, 150),
    "driver_home": (80, 300),
    "courier": (20, 80),
    "other": (20, 100),
    "partner": (20, 60),
}


@dataclass(frozen=True, kw_only=True)
class PlaceSpec:
    key: str
    name: str
    region_code: str
    address: str
    lat: float
    lng: float
    phone: str
    kind: str
    is_24h: bool
    status: str = "active"
    amenity_codes: tuple[str, ...]
    hours: tuple[Interval, ...]
    exceptions: tuple[ExceptionSpec, ...]

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(UUID_NAMESPACE, self.key)

    def fields(self) -> dict:
        """The service keyword arguments, without the region (the loader looks it up)."""
        names = ("name", "address", "lat", "lng", "phone", "kind", "is_24h", "status")
        return {n: getattr(self, n) for n in names}


@dataclass(frozen=True, kw_only=True)
class StationSpec(PlaceSpec):
    origin: str
    host_org_name: str
    area_m2: int
    notes: str = ""

    def fields(self) -> dict:
        extra = ("origin", "host_org_name", "area_m2", "notes")
        return super().fields() | {n: getattr(self, n) for n in extra}


@dataclass(frozen=True, kw_only=True)
class PartnerSpec(PlaceSpec):
    offer: str

    def fields(self) -> dict:
        return super().fields() | {"offer": self.offer}


@dataclass(frozen=True)
class DemoCity:
    seed: int
    stations: tuple[StationSpec, ...]
    partners: tuple[PartnerSpec, ...]

    def station_digest(self) -> str:
        return station_digest((s.name, s.lat, s.lng, s.kind) for s in self.stations)


def station_digest(rows: Iterable[tuple[str, float, float, str]]) -> str:
    """A fingerprint of stations' name, point and kind, independent of order."""
    lines = sorted(f"{name}|{lat:.6f}|{lng:.6f}|{kind}" for name, lat, lng, kind in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    parent_code: str


@cache  # a file shipped with the code: fixed for the life of the process
def region_rows() -> tuple[RegionRow, ...]:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return tuple(RegionRow(r["code"], r["name"], r["parent_code"]) for r in csv.DictReader(f))


def _communities(street_code: str) -> list[RegionRow]:
    return [r for r in region_rows() if r.parent_code == street_code]


def _region_name(code: str) -> str:
    return next(r.name for r in region_rows() if r.code == code)


def _where(rng: random.Random, street_code: str) -> Where:
    community = rng.choice(_communities(street_code))
    area = STREET_AREAS[street_code]
    lat, lng = point_in_street(rng, street_code)
    road = rng.choice(area.roads)
    return Where(
        community.code,
        community.name,
        street_code,
        _region_name(street_code),
        area.district,
        road,
        lat,
        lng,
    )


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _amenities(rng: random.Random, kind: str) -> tuple[str, ...]:
    extras = rng.sample(EXTRA_AMENITIES, k=rng.randint(1, 4))
    return tuple(dict.fromkeys((*STANDARD_AMENITIES, *KIND_AMENITIES.get(kind, ()), *extras)))


def _pick_weighted_without_replacement(
    rng: random.Random, weights: list[float], count: int
) -> set[int]:
    """Efraimidis–Spirakis: each index keyed by u^(1/w); the largest keys win."""
    keys = [(rng.random() ** (1 / w) if w > 0 else -1.0, i) for i, w in enumerate(weights)]
    return {i for _, i in sorted(keys, reverse=True)[:count]}


def _stations(rng: random.Random, names: UniqueNames) -> tuple[StationSpec, ...]:
    slots = [pair for pair, count in STATION_MIX.items() for _ in range(count)]
    rng.shuffle(slots)
    weights = [0.0 if origin == "partner_telecom" else WEIGHT_24H[kind] for origin, kind in slots]
    all_day = _pick_weighted_without_replacement(rng, weights, STATIONS_24H)
    community_rooms = [
        i for i, (o, k) in enumerate(slots) if o == "renovated" and k == "comprehensive"
    ]
    paused = [i for i in community_rooms if i not in all_day]
    suspended, closed = rng.sample(paused, 2)

    out = []
    for i, (origin, kind) in enumerate(slots):
        weights_for = DRIVER_STREET_WEIGHTS if kind == "driver_home" else STREET_WEIGHTS
        where = _where(rng, _weighted(rng, weights_for))
        name, host = names.claim(lambda o=origin, k=kind, w=where: station_identity(rng, o, k, w))
        if origin in ("partner_bank", "partner_telecom"):
            detail = "营业厅内"
        elif origin == "renovated" and kind == "comprehensive":
            detail = f"{where.community}党群服务中心一楼"
        else:
            detail = rng.choice(("", "一楼", "临街门面", "东侧"))
        is_24h = i in all_day
        schedule_key = origin if origin in STATION_TEMPLATES else kind
        status, notes = "active", rng.choice(words.STATION_NOTES)
        if i == suspended:
            status, notes = "suspended", "内部装修改造，暂停开放"
        elif i == closed:
            status, notes = "closed", "场地到期，驿站已撤并至附近站点"
        low, high = AREA_M2["partner" if origin.startswith("partner") else kind]
        out.append(
            StationSpec(
                key=f"station-{i + 1:03d}",
                name=name,
                region_code=where.community_code,
                address=f"九江市{where.district}{where.road}{rng.randint(1, 888)}号{detail}",
                lat=where.lat,
                lng=where.lng,
                phone=phone(rng),
                kind=kind,
                origin=origin,
                host_org_name=host,
                area_m2=rng.randint(low, high),
                notes=notes,
                is_24h=is_24h,
                status=status,
                amenity_codes=_amenities(rng, kind),
                hours=() if is_24h else pick_template(rng, STATION_TEMPLATES[schedule_key]),
                exceptions=station_exceptions(rng, origin=origin, kind=kind, is_24h=is_24h),
            )
        )
    return tuple(out)


def _partner(
    rng: random.Random, *, key: str, kind: str, name: str, where: Where, offer: str, is_24h: bool
) -> PartnerSpec:
    amenities = ("drinking_water", *rng.sample(PARTNER_AMENITIES, k=rng.randint(1, 3)))
    return PartnerSpec(
        key=key,
        name=name,
        region_code=where.community_code,
        address=f"九江市{where.district}{where.road}{rng.randint(1, 888)}号",
        lat=where.lat,
        lng=where.lng,
        phone=phone(rng),
        kind=kind,
        offer=offer,
        is_24h=is_24h,
        amenity_codes=amenities,
        hours=() if is_24h else pick_template(rng, PARTNER_TEMPLATES[kind]),
        exceptions=partner_exceptions(rng, kind=kind),
    )


def _partners(rng: random.Random, names: UniqueNames) -> tuple[PartnerSpec, ...]:
    out = []
    for i in range(CARING_MERCHANTS):
        where = _where(rng, _weighted(rng, STREET_WEIGHTS))
        name, brand, offer = names.claim(lambda w=where: merchant_identity(rng, w))
        is_24h = brand in words.CONVENIENCE_BRANDS and rng.random() < 0.5
        out.append(
            _partner(
                rng,
                key=f"merchant-{i + 1:02d}",
                kind="caring_merchant",
                name=name,
                where=where,
                offer=offer,
                is_24h=is_24h,
            )
        )
    for i, (place, street_code) in enumerate(
        rng.sample(words.SERVICE_CORNER_PLACES, SERVICE_CORNERS)
    ):
        (name,) = names.claim(lambda p=place: (f"{p}服务角",))
        out.append(
            _partner(
                rng,
                key=f"corner-{i + 1:02d}",
                kind="service_corner",
                name=name,
                where=_where(rng, street_code),
                offer=rng.choice(words.SERVICE_CORNER_OFFERS),
                is_24h=False,
            )
        )
    return tuple(out)


def city_build(*, seed: int = DEFAULT_SEED) -> DemoCity:
    """The whole demo city for `seed`: stations first, then partner places, one random stream."""
    rng = random.Random(seed)
    names = UniqueNames()
    stations = _stations(rng, names)
    return DemoCity(seed=seed, stations=stations, partners=_partners(rng, names))
