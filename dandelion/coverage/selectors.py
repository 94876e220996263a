"""Reads of coverage: how many people of a region live within reach of a qualifying place.

The model (`coverage_compute`, arithmetic in `cells`):
- The region is measured by its **communities**: the finest regions inside it (itself
  included) that have a boundary, i.e. those with no region with a boundary inside them. With
  every community's boundary loaded these are the communities; a street whose communities have
  no boundary counts as one.
- A community's **cells** are the H3 resolution-9 cells whose centre lies inside its boundary.
  A cell claimed by two communities (a centre exactly on a shared edge) belongs to the first by
  code.
- A cell's **people**: the population grid's count for it when a grid was loaded for the city
  (a cell missing from the grid has none); otherwise the community's population divided evenly
  by its number of cells. A community too small to hold any cell's centre keeps its population
  in the totals, none of it covered.
- A cell is **covered** when the great-circle distance from its centre to the nearest
  qualifying place is ≤ the reach (speed × minutes ÷ 1.3). Qualifying: every active station
  anywhere, also outside the region; with `at` only those open at that moment; with `amenity`
  only those with it; with `include_partners` partner places too.
- `nearest_m_p50`/`p90`: the nearest distance at or below which half (nine tenths) of the
  community's people live (of its cells, when it has no people).

Which places qualify is `qualifying_places`, the one place that says so: siting's "already
covered" and the console map's stations ask it (through `coverage_compute`) with the same inputs.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error
from dandelion.core.permissions import get_permitted
from dandelion.regions.selectors import (
    population_grid_version,
    population_grid_within,
    regions_all,
    regions_with_boundary_within,
)
from dandelion.stations.selectors import PlacePoints, places_points, places_version

from . import cells as model
from .errors import CoverageError

MODES = tuple(model.SPEEDS_M_PER_MIN)
MINUTES_MAX = 120
# `at` may fall from the start of today (local) to this many days on: the week the nearby
# index holds dated exceptions for, so an answer never needs an index of its own.
AT_DAYS = 7
# Answers kept per process, keyed by the places version, the grid's version and the parameters.
RESULTS_KEPT = 32
_results: OrderedDict = OrderedDict()
_results_lock = threading.Lock()


@dataclass(frozen=True)
class CommunityCoverage:
    code: str
    name: str
    population: int
    covered_population: int
    share: float | None
    cells: int
    covered_cells: int
    nearest_m_p50: float | None
    nearest_m_p90: float | None


@dataclass(frozen=True)
class Coverage:
    """One coverage answer, with the per-cell arrays it was computed from (in the order of
    `cell_ids`; `cell_community` indexes `communities`)."""

    region_code: str
    region_name: str
    mode: str
    minutes: float
    reach_m: float
    at: datetime | None
    amenity: str | None
    include_partners: bool
    population: int
    covered_population: int
    share: float | None
    communities: tuple[CommunityCoverage, ...]
    cell_ids: tuple[str, ...]
    cell_lat: np.ndarray = field(repr=False)
    cell_lng: np.ndarray = field(repr=False)
    cell_people: np.ndarray = field(repr=False)
    cell_nearest_m: np.ndarray = field(repr=False)
    cell_covered: np.ndarray = field(repr=False)
    cell_community: np.ndarray = field(repr=False)
    places_token: str = ""

    def gaps(self) -> dict:
        """The uncovered cells as a GeoJSON FeatureCollection (property `h3`, the community's
        code and the cell's people)."""
        features = [
            {
                "type": "Feature",
                "geometry": model.cell_polygon(self.cell_ids[i]),
                "properties": {
                    "h3": self.cell_ids[i],
                    "community": self.communities[self.cell_community[i]].code,
                    "people": round(float(self.cell_people[i]), 2),
                },
            }
            for i in np.flatnonzero(~self.cell_covered).tolist()
        ]
        return {"type": "FeatureCollection", "features": features}


def _share(covered: float, total: float) -> float | None:
    return round(covered / total, 4) if total > 0 else None


def _metres(value: float | None) -> float | None:
    """A distance for the answer: None when unknown or when no place qualifies at all."""
    return round(value, 1) if value is not None and np.isfinite(value) else None


def _invalid(field_name: str, message) -> InvalidInput:
    return InvalidInput(
        message,
        code=CoverageError.INVALID_PARAMETERS,
        errors=[
            field_error(
                field_name, CoverageError.INVALID_PARAMETERS, message, loc=["query", field_name]
            )
        ],
    )


def _finest_shapes(shaped: list) -> list:
    """The regions of `shaped` (by code) with no other region of it inside them."""
    return [
        r
        for r in shaped
        if not any(o.code != r.code and o.code.startswith(r.code_prefix) for o in shaped)
    ]


def coverage_region_get(*, actor, code: str):
    """The region with `code` if `actor` may see its coverage: 404 when there is none, 403 when
    it lies outside their regions (regions are public, so saying it exists tells nothing)."""
    return get_permitted(actor, "coverage.view", regions_all(), code=code)


def coverage_at(at: datetime | None) -> datetime | None:
    """`at` as an aware moment: a naive one is local time (the default zone, Asia/Shanghai)."""
    if at is not None and timezone.is_naive(at):
        return timezone.make_aware(at, timezone.get_default_timezone())
    return at


def qualifying_places(
    *,
    at: datetime | None = None,
    amenity: str | None = None,
    include_partners: bool = False,
    now: datetime | None = None,
) -> PlacePoints:
    """The places that count for coverage: every active station anywhere; with `at` only those
    open at that moment, with `amenity` only those having it (by the nearby index's own hours
    and amenity logic); partner places too with `include_partners`. An unknown amenity is
    refused (field `amenity`)."""
    return places_points(
        open_at=at,
        amenity_codes=[amenity] if amenity else [],
        include_partners=include_partners,
        now=now,
    )


def coverage_compute(
    *,
    region,
    mode: str = "walk",
    minutes: float = 15,
    at: datetime | None = None,
    amenity: str | None = None,
    include_partners: bool = False,
    now: datetime | None = None,
) -> Coverage:
    """The coverage of `region` (see the module's docstring for the model). Exact: the same
    answer as measuring every cell against every qualifying place. Answers are kept per process
    while the places, the regions and the population grid stay as they were; their arrays are
    read-only. A naive `at` is local time (`coverage_at`)."""
    now = now or timezone.now()
    at = coverage_at(at)
    if at is not None:
        tz = timezone.get_default_timezone()
        since = datetime.combine(timezone.localdate(now, tz), time(0), tz)
        if not since <= at < since + timedelta(days=AT_DAYS):
            raise _invalid("at", _("时刻应在今天起的 %(days)d 天之内。") % {"days": AT_DAYS})
    if mode not in MODES:
        raise _invalid("mode", _("出行方式应为 walk 或 ebike。"))
    if not 0 < minutes <= MINUTES_MAX:
        raise _invalid("minutes", _("分钟数应大于 0 且不超过 %(max)d。") % {"max": MINUTES_MAX})
    # Places and regions (boundaries, populations) change the places version; the grid its own.
    key = (
        places_version(now=now),
        population_grid_version(region=region),
        region.code,
        mode,
        float(minutes),
        at,
        amenity or None,
        include_partners,
    )
    with _results_lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    result = _compute(
        region=region,
        mode=mode,
        minutes=minutes,
        at=at,
        amenity=amenity,
        include_partners=include_partners,
        now=now,
    )
    with _results_lock:
        _results[key] = result
        while len(_results) > RESULTS_KEPT:
            _results.popitem(last=False)
    return result


def _compute(
    *,
    region,
    mode: str,
    minutes: float,
    at: datetime | None,
    amenity: str | None,
    include_partners: bool,
    now: datetime,
) -> Coverage:
    units = _finest_shapes(list(regions_with_boundary_within(region=region)))
    if not units:
        raise InvalidInput(
            _("%(name)s 及其下辖社区都没有边界，无法计算覆盖。") % {"name": region.name},
            code=CoverageError.NO_BOUNDARY,
            extra={"region": region.code},
        )
    grid = population_grid_within(region=region)

    ids: list[str] = []
    people: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    lngs: list[np.ndarray] = []
    claimed: set[str] = set()
    for number, unit in enumerate(units):
        shape_ids, shape_lat, shape_lng = model.shape_cells(unit.boundary)
        keep = np.fromiter((c not in claimed for c in shape_ids), bool, len(shape_ids))
        unit_cells = [c for c, k in zip(shape_ids, keep, strict=True) if k]
        claimed.update(unit_cells)
        if grid:
            unit_people = np.array([grid.get(c, 0) for c in unit_cells], dtype=float)
        else:
            each = (unit.population or 0) / len(unit_cells) if unit_cells else 0.0
            unit_people = np.full(len(unit_cells), each)
        ids.extend(unit_cells)
        people.append(unit_people)
        owner.append(np.full(len(unit_cells), number, dtype=np.intp))
        lats.append(shape_lat[keep])
        lngs.append(shape_lng[keep])
    cell_people = np.concatenate(people)
    cell_community = np.concatenate(owner)
    cell_lat, cell_lng = np.concatenate(lats), np.concatenate(lngs)

    places = qualifying_places(at=at, amenity=amenity, include_partners=include_partners, now=now)
    reach = model.reach_m(mode, minutes)
    nearest = model.nearest_m(cell_lat, cell_lng, places.lat, places.lng)
    covered = nearest <= reach

    communities = []
    for number, unit in enumerate(units):
        mine = cell_community == number
        unit_people, unit_nearest = cell_people[mine], nearest[mine]
        total = float(unit_people.sum()) if grid or mine.any() else float(unit.population or 0)
        reached = float(unit_people[covered[mine]].sum())
        p50 = model.weighted_quantile(unit_nearest, unit_people, 0.5)
        p90 = model.weighted_quantile(unit_nearest, unit_people, 0.9)
        communities.append(
            CommunityCoverage(
                code=unit.code,
                name=unit.name,
                population=round(total),
                covered_population=round(reached),
                share=_share(reached, total),
                cells=int(mine.sum()),
                covered_cells=int(covered[mine].sum()),
                nearest_m_p50=_metres(p50),
                nearest_m_p90=_metres(p90),
            )
        )
    population = float(sum(c.population for c in communities))
    reached_all = float(cell_people[covered].sum())
    for array in (cell_lat, cell_lng, cell_people, nearest, covered, cell_community):
        array.flags.writeable = False  # answers are shared from the cache
    return Coverage(
        region_code=region.code,
        region_name=region.name,
        mode=mode,
        minutes=minutes,
        reach_m=round(reach, 1),
        at=at,
        amenity=amenity or None,
        include_partners=include_partners,
        population=round(population),
        covered_population=round(reached_all),
        share=_share(reached_all, population),
        communities=tuple(communities),
        cell_ids=tuple(ids),
        cell_lat=cell_lat,
        cell_lng=cell_lng,
        cell_people=cell_people,
        cell_nearest_m=nearest,
        cell_covered=covered,
        cell_community=cell_community,
        places_token=places.token,
    )
