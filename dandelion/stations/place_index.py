"""The nearby index: every active place, held in each process's memory, so that nearby search
ranks, filters and describes places without a database round trip.

It holds what a nearby answer shows: the point, kind, amenities (as a bit mask), weekly hours
with the dated exceptions of the coming week, time zone, and the fields of the answer.

Ranking: each place's point as a unit vector in a k-d tree (SciPy's cKDTree). The straight-line
(chord) distance between unit vectors grows with the great-circle distance, so the tree's k
nearest are the k nearest on the sphere, with no trouble at the antimeridian or the poles. The
search asks for more candidates until `limit` of them pass the filters (amenities, kind, open
at a moment) and the next unseen one is farther by more than rounding, then orders the winners by
great-circle distance (from the chord c: 2R·asin(c/2), the distance haversine gives) and id: the
same answer as ranking every place by haversine. The tree and the list of places are stored in
the tree's own order, so the places of one neighbourhood lie together in memory.

Open now: places share interned weekly hours, and whether hours are open holds until their next
opening, closing or midnight, so the index works the answer out once per hours and time zone
until then (`PlaceIndex.is_open_at`).

Freshness: the index remembers the `PlacesVersion` token it was built from. Database triggers
change that token in the same transaction as any write to places, their amenities, hours and
exceptions, the amenity catalogue or regions, whoever writes. A process compares tokens at most
once every `PLACE_INDEX_CHECK_SECONDS` (one second by default, so an edit shows in nearby within
about a second; tests check on every call) and rebuilds when they differ, or when the dated
exceptions it holds no longer cover the day asked about. The token is read before the rows, so a
write that commits in between only causes one more rebuild, never a stale index.

Cost: a rebuild reads every active place with its amenities, hours and exceptions — a few
milliseconds for a city's few hundred places; `bench/results.md` gives the time and memory for
200,000. Each change rebuilds the whole index in each process, which suits the rate at which a
city edits its stations.

The module stays whole past the usual ~400 lines: building, searching and the open-now cache are
one algorithm over one memory layout, and splitting them would only scatter it.
"""

import math
import sys
import threading
import time as monotonic_clock
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.utils import timezone
from scipy.spatial import cKDTree

from dandelion.core.geo import EARTH_RADIUS_M
from dandelion.regions.selectors import region_facts

from .hours import DayException, WeeklyHours, exception_window
from .models import (
    Amenity,
    HoursException,
    OpeningInterval,
    PartnerPlace,
    Place,
    PlacesVersion,
    Station,
)

# The index holds the dated exceptions of `hours.exception_window(build day)`, so it answers for
# moments up to a week after the build day.
COVERED_DAYS = 7
# Derived values kept per index (see `PlaceIndex.derived`) before the store starts afresh.
DERIVED_MAX = 50_000
T = TypeVar("T")
EARTH_DIAMETER_M = 2 * EARTH_RADIUS_M
# Chords this close (relative) may come out as the same distance after rounding.
ROUNDING = 1e-9


@dataclass(frozen=True, slots=True)
class AmenityInfo:
    bit: int
    code: str
    name_zh: str
    name_en: str
    icon: str


@dataclass(frozen=True, slots=True)
class IndexedPlace:
    """An active place as nearby search shows it."""

    id: int
    type: str  # "station" or "partner"
    lat: float
    lng: float
    kind: str
    amenity_mask: int
    hours: WeeklyHours
    tz: ZoneInfo
    name: str
    address: str
    phone: str
    region_code: str
    region_name: str
    uuid: UUID
    is_24h: bool
    origin: str = ""  # stations
    host_org_name: str = ""  # stations
    area_m2: int | None = None  # stations
    stars: int = 0  # stations; partners have no stars
    stars_valid_until: date | None = None  # stations
    offer: str = ""  # partners


def _unit_vectors(lat, lng) -> np.ndarray:
    lat, lng = np.radians(lat), np.radians(lng)
    return np.column_stack((np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)))


class Ranked(NamedTuple):
    """A place found, in the order answers take: nearest first, then lowest id."""

    distance_m: float
    id: int
    place: IndexedPlace


class _Layer:
    """The places of one model in a k-d tree of their unit vectors."""

    def __init__(self, places: list[IndexedPlace]):
        self.places, self.tree = places, None
        if places:
            vectors = _unit_vectors([p.lat for p in places], [p.lng for p in places])
            # Stored in the tree's own order, so the points of a leaf, and the places found
            # together, lie together in memory.
            order = cKDTree(vectors).indices
            self.places = [places[i] for i in order.tolist()]
            self.tree = cKDTree(vectors[order])

    def __len__(self) -> int:
        return len(self.places)

    def nearest(
        self,
        lat: float,
        lng: float,
        limit: int,
        keep: Callable[[IndexedPlace], bool] | None,
    ) -> list[Ranked]:
        n = len(self.places)
        if not n:
            return []
        cos_lat = math.cos(math.radians(lat))
        point = (
            cos_lat * math.cos(math.radians(lng)),
            cos_lat * math.sin(math.radians(lng)),
            math.sin(math.radians(lat)),
        )
        k = min(n, limit + 2 if keep is None else 4 * limit + 16)
        examined = 0
        kept: list[tuple[float, IndexedPlace]] = []  # (chord, place), nearest first
        while True:
            chords, indexes = self.tree.query(point, k=k)
            chords, indexes = np.atleast_1d(chords), np.atleast_1d(indexes)
            for chord, i in zip(
                chords[examined:].tolist(), indexes[examined:].tolist(), strict=True
            ):
                place = self.places[i]
                if keep is None or keep(place):
                    kept.append((chord, place))
            examined = k
            if k == n or (
                len(kept) >= limit and chords[-1] > kept[limit - 1][0] * (1 + ROUNDING) + ROUNDING
            ):
                break  # every place not yet seen is farther than the limit-th kept one
            k = min(n, 2 * k)
        # The great-circle distance of a chord c between unit vectors is R·2·asin(c/2): the
        # haversine distance, without working out the vectors again.
        ranked = sorted(
            Ranked(EARTH_DIAMETER_M * math.asin(min(1.0, chord / 2)), place.id, place)
            for chord, place in kept
        )
        return ranked[:limit]


class PlaceIndex:
    def __init__(
        self,
        *,
        token: str,
        day: date,
        amenities: list[AmenityInfo],
        stations: _Layer,
        partners: _Layer,
        build_seconds: float,
    ):
        self.token, self.day = token, day
        tz = timezone.get_default_timezone()
        self._covered = tuple(
            datetime.combine(d, time(0), tz).astimezone(UTC)
            for d in (day, day + timedelta(days=COVERED_DAYS + 1))
        )
        self.amenities = amenities  # in catalogue order
        self.amenity_bits = {a.code: a.bit for a in amenities}
        self.stations, self.partners = stations, partners
        self.build_seconds = build_seconds
        self._derived: dict[Hashable, object] = {}
        # (id of a WeeklyHours the index holds, time zone) → (since, until, open): the answer
        # for every moment in [since, until).
        self._open: dict[tuple[int, ZoneInfo], tuple[datetime, datetime, bool]] = {}

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, remembered under `key` for as long as this index lives: for values that
        depend only on what the index holds (e.g. a place's representation in one language and
        datum), so a new index, built when places change, never serves an old one."""
        try:
            return self._derived[key]
        except KeyError:
            if len(self._derived) >= DERIVED_MAX:
                self._derived.clear()
            value = self._derived[key] = make()
            return value

    def is_open_at(self, place: IndexedPlace, moment: datetime) -> bool:
        """Whether `place` is open at `moment`. Places share their weekly hours, and the answer
        holds until the hours' next opening, closing or midnight (`unchanged_until`), so it is
        worked out once per hours and time zone until then, not per place and request."""
        key = (id(place.hours), place.tz)
        known = self._open.get(key)
        if known is not None and known[0] <= moment < known[1]:
            return known[2]
        is_open = place.hours.is_open_at(moment, place.tz)
        until = place.hours.unchanged_until(moment, place.tz).astimezone(UTC)
        self._open[key] = (moment, until, is_open)
        return is_open

    def covers(self, moment: datetime) -> bool:
        """Whether `moment` falls on the build day or the week after it (local days)."""
        return self._covered[0] <= moment < self._covered[1]

    def amenities_of(self, place: IndexedPlace) -> list[AmenityInfo]:
        return [a for a in self.amenities if place.amenity_mask & a.bit]

    def mask_of(self, codes: Sequence[str]) -> int:
        mask = 0
        for code in codes:
            mask |= self.amenity_bits[code]
        return mask

    def nearest(
        self,
        model: type[Place],
        *,
        lat: float,
        lng: float,
        limit: int,
        amenity_codes: Sequence[str] = (),
        kinds: Sequence[str] = (),
        open_at: datetime | None = None,
        min_stars: int = 0,
    ) -> list[Ranked]:
        """The `limit` nearest places of `model` with every amenity, of one of `kinds`, open at
        `open_at` if given, of at least `min_stars` stars; nearest first, ties by id."""
        layer = self.stations if model is Station else self.partners
        if min_stars > 0:
            if model is not Station:
                return []  # partners have no stars
            layer = self.stars_layer(min_stars)
        mask, kinds = self.mask_of(amenity_codes), frozenset(kinds)
        keep = None
        if mask or kinds or open_at is not None:

            def keep(place: IndexedPlace) -> bool:
                return (
                    place.amenity_mask & mask == mask
                    and (not kinds or place.kind in kinds)
                    and (open_at is None or self.is_open_at(place, open_at))
                )

        return layer.nearest(lat, lng, limit, keep)

    def stars_layer(self, min_stars: int) -> _Layer:
        """The stations of at least `min_stars` stars in a tree of their own, built on first
        use (per level, per index): rated stations are few (Wuhu: 88 of 940 at four or five),
        so filtering the whole tree would examine many places to find a few; this tree holds
        only those that qualify, and the answer is as exact as any other."""
        return self.derived(
            ("stars_layer", min_stars),
            lambda: _Layer([p for p in self.stations.places if p.stars >= min_stars]),
        )

    def approximate_size_bytes(self) -> int:
        """Memory held by the index's own objects (rows, places, their strings and cell tables;
        shared hours and time zones counted once)."""
        seen: set[int] = set()

        def size(obj) -> int:
            if id(obj) in seen:
                return 0
            seen.add(id(obj))
            return sys.getsizeof(obj)

        total = 0
        for layer in (self.stations, self.partners):
            total += size(layer.places)
            if layer.tree is not None:
                total += layer.tree.data.nbytes + layer.tree.indices.nbytes
            for place in layer.places:
                total += size(place)
                for name in IndexedPlace.__slots__:
                    value = getattr(place, name)
                    if name == "hours":
                        total += size(value) + size(value.weekly) + size(value.exceptions)
                    else:
                        total += size(value)
        return total


def _current_token() -> str:
    return PlacesVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


class _Builder:
    """Reads the active places and everything nearby shows of them, in a few queries."""

    def __init__(self, day: date):
        self.day = day
        self.regions = {pk: (code, name, ZoneInfo(tz)) for pk, code, name, tz in region_facts()}
        self.amenities = [
            AmenityInfo(1 << i, a.code, a.name_zh, a.name_en, a.icon)
            for i, a in enumerate(Amenity.objects.order_by("sort_order", "code"))
        ]
        ids = {a.code: a.bit for a in self.amenities}
        self.bit_by_id = {pk: ids[code] for pk, code in Amenity.objects.values_list("id", "code")}
        self.hours_cache: dict[tuple, WeeklyHours] = {}
        self.strings: dict[str, str] = {}

    def _hours(self, is_24h: bool, intervals: list, exceptions: list) -> WeeklyHours:
        key = (is_24h, tuple(sorted(intervals)), tuple(sorted(exceptions, key=_exception_key)))
        hours = self.hours_cache.get(key)
        if hours is None:
            hours = WeeklyHours.build(is_24h=is_24h, intervals=key[1], exceptions=key[2])
            self.hours_cache[key] = hours
        return hours

    def _intern(self, value: str) -> str:
        return self.strings.setdefault(value, value)

    def layer(self, model: type[Place]) -> _Layer:
        is_station = model is Station
        owner = "station" if is_station else "partner"  # of hours and exceptions
        through_owner = "station" if is_station else "partnerplace"
        active = {f"{owner}__status": Place.Status.ACTIVE}
        masks: dict[int, int] = {}
        for place_id, amenity_id in model.amenities.through.objects.filter(
            **{f"{through_owner}__status": "active"}
        ).values_list(f"{through_owner}_id", "amenity_id"):
            masks[place_id] = masks.get(place_id, 0) | self.bit_by_id[amenity_id]
        intervals: dict[int, list] = {}
        for place_id, *interval in OpeningInterval.objects.filter(**active).values_list(
            f"{owner}_id", "weekday", "opens", "closes"
        ):
            intervals.setdefault(place_id, []).append(tuple(interval))
        exceptions: dict[int, list] = {}
        for place_id, *exception in HoursException.objects.filter(
            **active,
            date__range=exception_window(self.day),
        ).values_list(f"{owner}_id", "date", "closed", "opens", "closes"):
            exceptions.setdefault(place_id, []).append(DayException(*exception))

        fields = ["id", "lat", "lng", "kind", "is_24h", "region_id"]
        fields += ["name", "address", "phone", "uuid"]
        fields += (
            ["origin", "host_org_name", "area_m2", "stars", "stars_valid_until"]
            if is_station
            else ["offer"]
        )
        places = []
        for row in model.objects.filter(status=Place.Status.ACTIVE).order_by().values_list(*fields):
            pk, lat, lng, kind, is_24h, region_id, name, address, phone, uuid = row[:10]
            region_code, region_name, tz = self.regions[region_id]
            specific = (
                {
                    "origin": self._intern(row[10]),
                    "host_org_name": self._intern(row[11]),
                    "area_m2": row[12],
                    "stars": row[13],
                    "stars_valid_until": row[14],
                }
                if is_station
                else {"offer": self._intern(row[10])}
            )
            place = IndexedPlace(
                id=pk,
                type="station" if is_station else "partner",
                lat=lat,
                lng=lng,
                kind=self._intern(kind),
                amenity_mask=masks.get(pk, 0),
                hours=self._hours(is_24h, intervals.get(pk, []), exceptions.get(pk, [])),
                tz=tz,
                name=name,
                address=address,
                phone=self._intern(phone),
                region_code=region_code,
                region_name=region_name,
                uuid=uuid,
                is_24h=is_24h,
                **specific,
            )
            places.append(place)
        return _Layer(places)


def _exception_key(e: DayException) -> tuple:
    return (e.date, e.closed, e.opens or datetime.min.time(), e.closes or datetime.min.time())


def build(day: date) -> PlaceIndex:
    started = monotonic_clock.perf_counter()
    token = _current_token()  # before the rows: a write in between costs a rebuild, not staleness
    builder = _Builder(day)
    return PlaceIndex(
        token=token,
        day=day,
        amenities=builder.amenities,
        stations=builder.layer(Station),
        partners=builder.layer(PartnerPlace),
        build_seconds=monotonic_clock.perf_counter() - started,
    )


_lock = threading.Lock()
_index: PlaceIndex | None = None
_checked_at = float("-inf")


def local_day(moment: datetime) -> date:
    """The day of `moment` in the project's time zone: the days an index covers are these."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def current(moment: datetime | None = None) -> PlaceIndex:
    """This process's index, fresh to within `PLACE_INDEX_CHECK_SECONDS`, covering `moment`'s
    day (default: now)."""
    global _index, _checked_at
    moment = moment or timezone.now()
    index, now = _index, monotonic_clock.monotonic()
    if (
        index is not None
        and index.covers(moment)
        and 0 <= now - _checked_at < settings.PLACE_INDEX_CHECK_SECONDS
    ):
        return index
    token = _current_token()
    if index is None or index.token != token or not index.covers(moment):
        with _lock:
            index = _index
            if index is None or index.token != token or not index.covers(moment):
                index = _index = build(local_day(moment))
    _checked_at = now
    return index


def reset() -> None:
    """Forget this process's index (the next call rebuilds it)."""
    global _index, _checked_at
    with _lock:
        _index, _checked_at = None, float("-inf")
