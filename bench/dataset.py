"""The benchmark's deterministic national dataset: stations clustered around real city centres,
and query points, all from fixed seeds. Pure NumPy; no Django here.

Stations (per city weighted by population):
- 65% in the city core, a 2-D Gaussian with σ = 2 km + 2.5 km·√(population in millions)
  (≈ 14 km for Shanghai, ≈ 5 km for a city of one million);
- 25% in its suburbs and counties, at an exponentially distributed distance (mean 2.5 σ);
- 10% rural scatter: around a city chosen uniformly (so remote prefectures get some), 15–150 km
  out;
- then 0.5% are moved onto another station's exact point (two stations in one building), so
  exact distance ties occur.
Query points: 80% near a city centre (Gaussian, σ as above), 8% suburban, 8% rural, 4% remote
(uniform over the sparse west: 28–46°N, 76–100°E).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np

from .cities import CITIES, PROVINCES

STATION_SEED = 20250618
QUERY_SEED = 20250619
KM_PER_DEG = 6_371.0088 * math.pi / 180

# The fixed moment of the open-now variant: a Wednesday evening in Beijing time (19:30 in the
# Xinjiang regions, which run on Ürümqi time here).
BENCH_MOMENT = datetime(2025, 6, 18, 21, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
BENCH_DATE = BENCH_MOMENT.date()
FILTER_AMENITY = "battery_swap"

# Probability that a station has each amenity of the seeded catalogue (~4.5 per station).
AMENITY_P: dict[str, float] = {
    "hot_water": 0.60,
    "drinking_water": 0.40,
    "microwave": 0.30,
    "phone_charging": 0.50,
    "battery_swap": 0.25,
    "ebike_charging": 0.25,
    "repair_tools": 0.15,
    "toilet": 0.30,
    "rest_seats": 0.40,
    "air_conditioning": 0.30,
    "first_aid": 0.25,
    "umbrella": 0.15,
    "books": 0.10,
    "wifi": 0.25,
    "free_drinks": 0.08,
    "ebike_parking": 0.15,
    "truck_parking": 0.04,
    "shower": 0.03,
}
AMENITY_CODES = tuple(AMENITY_P)

P_24H = 0.12
# Weekly patterns of the other stations: (probability, label, [(weekday, opens, closes)]).
_DAILY = range(7)
HOURS_PATTERNS: list[tuple[float, str, list[tuple[int, time, time]]]] = [
    (0.40, "daily 08:00–20:00", [(d, time(8), time(20)) for d in _DAILY]),
    (0.20, "Mon–Fri 09:00–18:00", [(d, time(9), time(18)) for d in range(5)]),
    (0.13, "daily 10:00–22:00", [(d, time(10), time(22)) for d in _DAILY]),
    (
        0.12,
        "Mon–Sat 07:00–11:00 and 17:00–23:30",
        [
            (d, t0, t1)
            for d in range(6)
            for t0, t1 in ((time(7), time(11)), (time(17), time(23, 30)))
        ],
    ),
    (0.15, "daily 18:00–02:00 (overnight)", [(d, time(18), time(2)) for d in _DAILY]),
]

# Dated exceptions on the benchmark date: (probability, closed, opens, closes, note).
EXCEPTIONS: list[tuple[float, bool, time | None, time | None, str]] = [
    (0.03, True, None, None, "设备检修"),
    (0.01, False, time(12), time(21), "缩短营业"),
    (0.01, False, time(19), time(23), "夜间活动"),
]

STATUSES = (("active", 0.97), ("suspended", 0.02), ("closed", 0.01))
KINDS = (
    ("comprehensive", 0.35),
    ("rider_home", 0.30),
    ("driver_home", 0.10),
    ("courier", 0.20),
    ("other", 0.05),
)
ORIGINS = (
    ("renovated", 0.40),
    ("new_build", 0.20),
    ("partner_bank", 0.15),
    ("partner_telecom", 0.15),
    ("partner_merchant", 0.10),
)


@dataclass(frozen=True)
class City:
    code: str
    name: str
    name_en: str
    lat: float
    lng: float
    population_m: float
    timezone: str

    @property
    def sigma_km(self) -> float:
        return 2.0 + 2.5 * math.sqrt(self.population_m)


def cities() -> list[City]:
    return [
        City(code, name, name_en, lat, lng, pop, PROVINCES[code[:2]][2])
        for code, name, name_en, lat, lng, pop in CITIES
    ]


@dataclass
class Stations:
    city: np.ndarray  # index into cities()
    lat: np.ndarray
    lng: np.ndarray
    status: np.ndarray  # index into STATUSES
    kind: np.ndarray
    origin: np.ndarray
    is_24h: np.ndarray
    pattern: np.ndarray  # index into HOURS_PATTERNS, -1 when 24 h
    exception: np.ndarray  # index into EXCEPTIONS, -1 for none
    amenities: np.ndarray  # (n, len(AMENITY_CODES)) bool
    area_m2: np.ndarray
    uuid_bytes: np.ndarray  # (n, 16) uint8

    def __len__(self) -> int:
        return len(self.lat)


@dataclass
class Queries:
    lat: np.ndarray
    lng: np.ndarray
    category: list[str]

    def __len__(self) -> int:
        return len(self.lat)


def _choice(rng: np.random.Generator, table, size: int) -> np.ndarray:
    p = np.array([w for _, w in table], dtype=float)
    return rng.choice(len(table), size=size, p=p / p.sum())


def _offset(lat0: np.ndarray, lng0: np.ndarray, dx_km: np.ndarray, dy_km: np.ndarray):
    lat = lat0 + dy_km / KM_PER_DEG
    lng = lng0 + dx_km / (KM_PER_DEG * np.cos(np.radians(lat0)))
    return np.clip(lat, -89.9, 89.9), (lng + 180.0) % 360.0 - 180.0


def _points_around(
    rng: np.random.Generator, cs: list[City], size: int, mode: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    weights = np.array([c.population_m for c in cs])
    if mode == "rural":
        city = rng.integers(0, len(cs), size)
    else:
        city = rng.choice(len(cs), size=size, p=weights / weights.sum())
    lat0 = np.array([cs[i].lat for i in city])
    lng0 = np.array([cs[i].lng for i in city])
    sigma = np.array([cs[i].sigma_km for i in city])
    if mode == "core":
        dx, dy = rng.normal(0, 1, size) * sigma, rng.normal(0, 1, size) * sigma
    else:
        r = rng.exponential(2.5 * sigma) if mode == "suburb" else rng.uniform(15.0, 150.0, size)
        angle = rng.uniform(0, 2 * math.pi, size)
        dx, dy = r * np.cos(angle), r * np.sin(angle)
    lat, lng = _offset(lat0, lng0, dx, dy)
    return city, lat, lng


def stations(n: int, seed: int = STATION_SEED) -> Stations:
    rng = np.random.default_rng(seed)
    cs = cities()
    n_core = round(n * 0.65)
    n_suburb = round(n * 0.25)
    parts = [
        _points_around(rng, cs, n_core, "core"),
        _points_around(rng, cs, n_suburb, "suburb"),
        _points_around(rng, cs, n - n_core - n_suburb, "rural"),
    ]
    city = np.concatenate([p[0] for p in parts])
    lat = np.round(np.concatenate([p[1] for p in parts]), 6)
    lng = np.round(np.concatenate([p[2] for p in parts]), 6)
    # Shuffle so ids do not follow the generation mode.
    order = rng.permutation(n)
    city, lat, lng = city[order], lat[order], lng[order]
    # Co-located stations: exact distance ties.
    dup = rng.choice(n, size=n // 200, replace=False)
    src = rng.integers(0, n, size=len(dup))
    city[dup], lat[dup], lng[dup] = city[src].copy(), lat[src].copy(), lng[src].copy()

    is_24h = rng.random(n) < P_24H
    pattern = np.where(is_24h, -1, _choice(rng, [(p[1], p[0]) for p in HOURS_PATTERNS], n))
    u = rng.random(n)
    exception = np.full(n, -1)
    edge = 0.0
    for i, (p, *_rest) in enumerate(EXCEPTIONS):
        exception[(u >= edge) & (u < edge + p)] = i
        edge += p
    amenities = rng.random((n, len(AMENITY_CODES))) < np.array(list(AMENITY_P.values()))
    return Stations(
        city=city,
        lat=lat,
        lng=lng,
        status=_choice(rng, STATUSES, n),
        kind=_choice(rng, KINDS, n),
        origin=_choice(rng, ORIGINS, n),
        is_24h=is_24h,
        pattern=pattern,
        exception=exception,
        amenities=amenities,
        area_m2=rng.integers(15, 400, n),
        uuid_bytes=rng.integers(0, 256, (n, 16), dtype=np.uint8),
    )


def queries(n: int, seed: int = QUERY_SEED) -> Queries:
    """The first `n` of a fixed sequence of query points (so a quick run's points are a prefix
    of a full run's)."""
    rng = np.random.default_rng(seed)
    total = max(n, 1000)
    cs = cities()
    mode = _choice(
        rng, [("core", 0.80), ("suburb", 0.08), ("rural", 0.08), ("remote", 0.04)], total
    )
    lat = np.empty(total)
    lng = np.empty(total)
    for m in ("core", "suburb", "rural"):
        idx = np.flatnonzero(mode == ("core", "suburb", "rural").index(m))
        _, lat[idx], lng[idx] = _points_around(rng, cs, len(idx), m)
    idx = np.flatnonzero(mode == 3)
    lat[idx] = rng.uniform(28.0, 46.0, len(idx))
    lng[idx] = rng.uniform(76.0, 100.0, len(idx))
    names = ("city", "suburb", "rural", "remote")
    return Queries(
        lat=np.round(lat[:n], 6),
        lng=np.round(lng[:n], 6),
        category=[names[m] for m in mode[:n]],
    )


def exception_rows(kind: int) -> list[tuple[date, bool, time | None, time | None, str]]:
    if kind < 0:
        return []
    _, closed, opens, closes, note = EXCEPTIONS[kind]
    return [(BENCH_DATE, closed, opens, closes, note)]
