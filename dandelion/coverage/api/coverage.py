"""`GET /coverage`: how many people of a region live within reach of a qualifying station."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dandelion.core.api import problems

from .. import selectors

router = Router(tags=["coverage"])

# Which places count, declared once for every operation that measures coverage (siting too).
OpenAt = Annotated[
    datetime | None,
    Field(
        description="Count only places open at this moment (ISO 8601; without an offset, "
        "Asia/Shanghai time), from the start of today to 7 days on"
    ),
]
AmenityCode = Annotated[
    str | None, Field(max_length=50, description="Count only places with this amenity code")
]
IncludePartners = Annotated[bool, Field(description="Count partner places too")]


class CoverageFilters(Schema):
    region: str = Field(..., max_length=12, description="The region's division code")
    mode: Literal["walk", "ebike"] = Field("walk", description="walk: 75 m/min; ebike: 250 m/min")
    minutes: float = Field(15, gt=0, le=selectors.MINUTES_MAX, description="Minutes of travel")
    at: OpenAt = None
    amenity: AmenityCode = None
    include_partners: IncludePartners = False


class TotalsOut(Schema):
    population: int
    covered_population: int
    share: float | None = Field(description="covered_population ÷ population, 4 decimals")


class CommunityCoverageOut(Schema):
    code: str
    name: str
    population: int
    covered_population: int
    share: float | None
    cells: int
    covered_cells: int
    nearest_m_p50: float | None = Field(description="Half the people live at most this far")
    nearest_m_p90: float | None = Field(description="Nine tenths live at most this far")


class CoverageOut(Schema):
    region: str
    mode: str
    minutes: float
    reach_m: float
    at: datetime | None
    totals: TotalsOut
    communities: list[CommunityCoverageOut]
    gaps: dict[str, Any] = Field(
        description="The uncovered cells: a GeoJSON FeatureCollection of H3 cell polygons "
        "([lng, lat]), properties h3, community, people"
    )


DESCRIPTION = """The coverage of a region by the station network (15分钟服务圈), exactly:

- The region is measured by its **communities**: the finest regions inside it (itself
  included) with a boundary, i.e. with no region with a boundary inside them (a street whose
  communities have no boundary counts as one). A community's **cells** are the H3
  resolution-9 cells whose centre lies inside its boundary (h3's `polygon_to_cells` rule).
- A cell's **people**: the population grid's count when one was loaded for the city, else the
  community's population divided evenly by its cells.
- A cell is **covered** when the great-circle distance (haversine, R = 6,371,008.8 m) from its
  centre to the nearest qualifying place is ≤ the **reach** = speed × minutes ÷ 1.3 (detour
  factor); speeds: walk 75 m/min, ebike 250 m/min (15 minutes' walk: 865.4 m).
- **Qualifying**: every active station anywhere (also outside the region); with `at`, only
  those open at that moment; with `amenity`, only those having it; `include_partners=true` adds
  partner places.
- `nearest_m_p50`/`p90`: the distance within which half / nine tenths of a community's people
  live (null when no place qualifies).

The answer equals measuring every cell against every qualifying place (a k-d tree finds the
candidates, haversine decides). For region staff (region admins, dispatchers, auditors) of the
region or a region above it: 403 outside their regions, 404 for an unknown region, 422 for a
region with no boundary or bad parameters."""


@router.get(
    "/coverage",
    response={200: CoverageOut, **problems(404)},
    operation_id="coverage_get",
    summary="People within reach of a station, per community, and the gaps",
    description=DESCRIPTION,
)
def coverage_get(request: HttpRequest, filters: Query[CoverageFilters]):
    region = selectors.coverage_region_get(actor=request.user, code=filters.region)
    result = selectors.coverage_compute(
        region=region,
        mode=filters.mode,
        minutes=filters.minutes,
        at=filters.at,
        amenity=filters.amenity,
        include_partners=filters.include_partners,
    )
    return coverage_payload(result)


def coverage_payload(result: selectors.Coverage) -> dict:
    return {
        "region": result.region_code,
        "mode": result.mode,
        "minutes": result.minutes,
        "reach_m": result.reach_m,
        "at": result.at,
        "totals": {
            "population": result.population,
            "covered_population": result.covered_population,
            "share": result.share,
        },
        "communities": [vars(c) for c in result.communities],
        "gaps": result.gaps(),
    }
