"""Siting suggestions for a region: the coverage model's cells, the candidates, the weights,
then the solver (`siting`). Reads only: nothing is stored.

- **Demand points** are the region's coverage cells that no qualifying station covers now
  (existing stations stay), weighted by their people (`weight=population`) or by the searches
  of the last `days` days (`weight=demand`: each stored resolution-8 cell's searches spread
  evenly over its resolution-9 cells in the region).
- **Candidates**: `partners` (active partner places in the region), `communities` (each
  community's centre, or the mean of its cells' centres when it has none) or `cells` (the
  centre of every coverage cell of the region, covered or not).
- **Already covered** is what `coverage_compute` says for the same `at`, `amenity` and
  `include_partners` (it alone decides which places count: `selectors.qualifying_places`), so
  "where should the next night station go" (`at` 22:00) or "where is battery swap missing"
  (`amenity`) start from the cells `GET /coverage` reports uncovered for those inputs.
- A candidate covers a cell when the haversine distance between them is ≤ the reach: the
  coverage model's own rule, so `after` is what `GET /coverage` will say, for the same inputs,
  once the sites are stations open at `at` with the amenity.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

import h3
import numpy as np
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error
from dandelion.core.geo import bbox_for_radius
from dandelion.core.permissions import scope_queryset
from dandelion.regions.selectors import Level, regions_all, regions_with_boundary_within
from dandelion.stations.selectors import partner_list, station_list

from . import siting
from .cells import reach_m
from .demand import DEMAND_RESOLUTION, demand_by_cell, demand_per_fine_cell, demand_window
from .errors import CoverageError
from .selectors import Coverage, coverage_compute, coverage_region_get, qualifying_places

CANDIDATE_SOURCES = ("partners", "communities", "cells")
WEIGHTS = ("population", "demand")
ADD_MAX = 50
DAYS_MAX = 366


@dataclass(frozen=True)
class Candidates:
    lat: np.ndarray
    lng: np.ndarray
    source_ids: list[str]
    names: list[str]
    source: str


@dataclass(frozen=True)
class Site:
    lat: float
    lng: float
    source: str
    source_id: str
    name: str
    gain: float  # in the weight's unit, given the sites before it
    gain_population: float


@dataclass(frozen=True)
class Totals:
    covered_population: int
    share: float | None
    covered_weight: float
    weight_share: float | None


@dataclass(frozen=True)
class Siting:
    region_code: str
    mode: str
    minutes: float
    reach_m: float
    add: int
    candidates: str
    candidate_count: int
    weight: str
    days: int | None
    at: datetime | None
    amenity: str | None
    include_partners: bool
    population: int
    weight_total: float
    before: Totals
    after: Totals
    sites: list[Site]
    solver: str
    optimal: bool
    bound: float
    bound_kind: str
    seconds: float
    coverage: Coverage


def _invalid(field_name: str, message) -> InvalidInput:
    return InvalidInput(
        message,
        code=CoverageError.INVALID_PARAMETERS,
        errors=[
            field_error(
                field_name, CoverageError.INVALID_PARAMETERS, message, loc=["body", field_name]
            )
        ],
    )


def _in_body(exc: InvalidInput) -> None:
    """Coverage's checks place their fields in the query; siting's inputs are the body's."""
    for item in exc.errors:
        if item["loc"][:1] == ["query"]:
            item["loc"] = ["body", *item["loc"][1:]]


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


def siting_candidates(*, coverage: Coverage, region, source: str) -> Candidates:
    if source == "cells":
        return Candidates(
            lat=coverage.cell_lat,
            lng=coverage.cell_lng,
            source_ids=list(coverage.cell_ids),
            names=list(coverage.cell_ids),
            source=source,
        )
    if source == "partners":
        rows = list(partner_list(region_code=region.code).values_list("id", "name", "lat", "lng"))
        return Candidates(
            lat=np.array([r[2] for r in rows], dtype=float),
            lng=np.array([r[3] for r in rows], dtype=float),
            source_ids=[str(r[0]) for r in rows],
            names=[r[1] for r in rows],
            source=source,
        )
    centres = {
        r.code: (r.center_lat, r.center_lng)
        for r in regions_with_boundary_within(region=region, level=Level.COMMUNITY)
    }
    lat, lng, ids, names = [], [], [], []
    for number, community in enumerate(coverage.communities):
        centre = centres.get(community.code, (None, None))
        if centre[0] is None or centre[1] is None:
            mine = coverage.cell_community == number
            if not mine.any():
                continue
            centre = (float(coverage.cell_lat[mine].mean()), float(coverage.cell_lng[mine].mean()))
        lat.append(centre[0])
        lng.append(centre[1])
        ids.append(community.code)
        names.append(community.name)
    return Candidates(
        lat=np.array(lat, dtype=float),
        lng=np.array(lng, dtype=float),
        source_ids=ids,
        names=names,
        source=source,
    )


def siting_suggest(
    *,
    actor,
    region_code: str,
    add: int,
    mode: str = "walk",
    minutes: float = 15,
    candidates: str = "cells",
    weight: str = "population",
    days: int = 30,
    at: datetime | None = None,
    amenity: str | None = None,
    include_partners: bool = False,
    today: date | None = None,
    time_limit: float = siting.MILP_TIME_LIMIT_S,
) -> Siting:
    """The `add` new sites among `candidates` that cover the most uncovered weight in the
    region (see the module's docstring), for staff who may see the region's coverage. `at`,
    `amenity` and `include_partners` choose the places that already cover a cell, exactly as
    for `coverage_compute` (and are checked by it)."""
    region = coverage_region_get(actor=actor, code=region_code)
    if not 1 <= add <= ADD_MAX:
        raise _invalid("add", _("新增站点数应在 1 到 %(max)d 之间。") % {"max": ADD_MAX})
    if candidates not in CANDIDATE_SOURCES:
        raise _invalid("candidates", _("候选点应为 partners、communities 或 cells。"))
    if weight not in WEIGHTS:
        raise _invalid("weight", _("权重应为 population 或 demand。"))
    if not 1 <= days <= DAYS_MAX:
        raise _invalid("days", _("天数应在 1 到 %(max)d 之间。") % {"max": DAYS_MAX})
    try:
        coverage = coverage_compute(
            region=region,
            mode=mode,
            minutes=minutes,
            at=at,
            amenity=amenity,
            include_partners=include_partners,
        )
    except InvalidInput as exc:
        _in_body(exc)
        raise
    people = coverage.cell_people
    if weight == "demand":
        since, until = demand_window(days=days, today=today)
        parents = {h3.cell_to_parent(c, DEMAND_RESOLUTION) for c in coverage.cell_ids}
        counts = demand_by_cell(cells=parents, since=since, until=until)
        weights = np.asarray(
            demand_per_fine_cell(fine_cells=list(coverage.cell_ids), counts=counts), dtype=float
        )
    else:
        weights = people
    found = siting_candidates(coverage=coverage, region=region, source=candidates)
    open_cells = np.flatnonzero(~coverage.cell_covered)
    cover = siting.coverage_matrix(
        point_lat=coverage.cell_lat[open_cells],
        point_lng=coverage.cell_lng[open_cells],
        site_lat=found.lat,
        site_lng=found.lng,
        reach_m=reach_m(coverage.mode, coverage.minutes),  # exact, not the rounded one
    )
    result = siting.solve(weights[open_cells], cover, add, time_limit=time_limit)

    csc = cover.tocsc()
    still_open = np.ones(len(open_cells), dtype=bool)
    sites = []
    for j, gain in zip(result.chosen, result.gains, strict=True):
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        fresh = rows[still_open[rows]]
        still_open[fresh] = False
        sites.append(
            Site(
                lat=round(float(found.lat[j]), 6),
                lng=round(float(found.lng[j]), 6),
                source=found.source,
                source_id=found.source_ids[j],
                name=found.names[j],
                gain=round(gain, 2),
                gain_population=round(float(people[open_cells[fresh]].sum()), 2),
            )
        )
    population = float(people.sum())
    weight_total = float(weights.sum())
    before_people = float(people[coverage.cell_covered].sum())
    before_weight = float(weights[coverage.cell_covered].sum())
    newly = open_cells[~still_open]
    after_people = before_people + float(people[newly].sum())
    after_weight = before_weight + float(weights[newly].sum())
    return Siting(
        region_code=region.code,
        mode=mode,
        minutes=minutes,
        reach_m=coverage.reach_m,
        add=add,
        candidates=candidates,
        candidate_count=len(found.source_ids),
        weight=weight,
        days=days if weight == "demand" else None,
        at=coverage.at,
        amenity=coverage.amenity,
        include_partners=coverage.include_partners,
        population=round(population),
        weight_total=round(weight_total, 2),
        before=Totals(
            covered_population=round(before_people),
            share=_share(before_people, population),
            covered_weight=round(before_weight, 2),
            weight_share=_share(before_weight, weight_total),
        ),
        after=Totals(
            covered_population=round(after_people),
            share=_share(after_people, population),
            covered_weight=round(after_weight, 2),
            weight_share=_share(after_weight, weight_total),
        ),
        sites=sites,
        solver=result.solver,
        optimal=result.optimal,
        bound=round(result.bound, 2),
        bound_kind=result.bound_kind,
        seconds=round(result.seconds, 3),
        coverage=coverage,
    )


MAP_STATIONS_MAX = 5000
CONSOLE_LEVELS = (Level.CITY, Level.DISTRICT, Level.STREET)


def coverage_regions(*, actor):
    """The cities, districts and streets whose coverage `actor` may see, by code: the console's
    region picker."""
    return (
        scope_queryset(actor, "coverage.view", regions_all())
        .filter(level__in=CONSOLE_LEVELS)
        .order_by("code")[:500]
    )


def community_boundaries(*, region) -> dict[str, dict]:
    """The boundaries of the units coverage measures the region by (its communities, or
    itself), by code, for the map."""
    units = regions_with_boundary_within(region=region, level=Level.COMMUNITY)
    found = dict(units.values_list("code", "boundary"))
    if not found and region.boundary is not None:
        found = {region.code: region.boundary}
    return found


def stations_around(*, coverage: Coverage) -> list[list]:
    """[lat, lng, name] of the stations that count for `coverage` (active; open at its `at`,
    with its amenity) and can reach the region's cells (within the reach of its box), at most
    `MAP_STATIONS_MAX`, for the map."""
    if not len(coverage.cell_ids):
        return []
    reach = reach_m(coverage.mode, coverage.minutes)
    south, west, _n, _e = bbox_for_radius(
        float(coverage.cell_lat.min()), float(coverage.cell_lng.min()), reach
    )
    _s, _w, north, east = bbox_for_radius(
        float(coverage.cell_lat.max()), float(coverage.cell_lng.max()), reach
    )
    rows = station_list(bbox=(west, south, east, north)).values_list("id", "lat", "lng", "name")
    if coverage.at is None and coverage.amenity is None:
        return [[lat, lng, name] for _id, lat, lng, name in rows[:MAP_STATIONS_MAX]]
    places = qualifying_places(at=coverage.at, amenity=coverage.amenity)
    counted = set(places.ids[places.is_station].tolist())
    found = (row for row in rows.iterator() if row[0] in counted)
    return [[lat, lng, name] for _id, lat, lng, name in islice(found, MAP_STATIONS_MAX)]
