"""`POST /coverage/siting`: where k new stations would reach the most people (or searches)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from dandelion.core.api import problems

from .. import selectors, siting, siting_selectors
from .coverage import AmenityCode, IncludePartners, OpenAt

router = Router(tags=["coverage"])


class SitingIn(Schema):
    region: str = Field(..., max_length=12, description="The region's division code")
    mode: Literal["walk", "ebike"] = Field("walk", description="walk: 75 m/min; ebike: 250 m/min")
    minutes: float = Field(15, gt=0, le=selectors.MINUTES_MAX, description="Minutes of travel")
    add: int = Field(
        ..., ge=1, le=siting_selectors.ADD_MAX, description="How many new sites to choose (k)"
    )
    candidates: Literal["partners", "communities", "cells"] = Field(
        "cells",
        description="partners: the region's active partner places; communities: community "
        "centres; cells: the centre of every H3 resolution-9 cell of the region",
    )
    weight: Literal["population", "demand"] = Field(
        "population",
        description="What a site gains: people reached, or workers' nearby searches of the last "
        "`days` days (GET /coverage/demand)",
    )
    days: int = Field(
        30, ge=1, le=siting_selectors.DAYS_MAX, description="Days of demand (weight=demand)"
    )
    # Which existing places already cover a cell: the same inputs, checks and meaning as
    # GET /coverage's.
    at: OpenAt = None
    amenity: AmenityCode = None
    include_partners: IncludePartners = False


class SitingTotalsOut(Schema):
    covered_population: int
    share: float | None = Field(description="covered_population ÷ the region's population")
    covered_weight: float = Field(description="Covered weight: people, or searches")
    weight_share: float | None


class SiteOut(Schema):
    lat: float
    lng: float
    source: Literal["partners", "communities", "cells"]
    source_id: str = Field(description="Partner place id, community code or H3 cell")
    name: str
    gain: float = Field(description="Weight this site adds, given the sites before it")
    gain_population: float = Field(description="People this site adds, given the sites before it")


class SitingOut(Schema):
    region: str
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
    before: SitingTotalsOut
    after: SitingTotalsOut
    sites: list[SiteOut] = Field(
        description="In the order chosen; fewer than `add` when no more site adds anything"
    )
    solver: Literal["milp", "greedy"]
    optimal: bool = Field(description="The sites are proven to cover the most weight possible")
    bound: float = Field(
        description="An upper bound on the best covered weight over the candidates"
    )
    bound_kind: Literal[
        "optimal", "milp_dual", "greedy_online", "greedy_guarantee", "coverable", "exhaustive"
    ]


DESCRIPTION = f"""The maximal covering location problem: choose at most `add` new sites among
the candidates so that the most weight not yet covered is within reach (the coverage model of
`GET /coverage`: haversine ≤ speed × minutes ÷ 1.3; the existing places stay).

- **Not yet covered** is what `GET /coverage` reports for the same `at`, `amenity` and
  `include_partners`: the places that count are every active station, with `at` only those
  open at that moment, with `amenity` only those having it, with `include_partners` partner
  places too (checked as there: `at` from the start of today to 7 days on, a known amenity).
  So `at=…T22:00` answers where the next night station should go, `amenity=battery_swap` where
  battery swap is missing; `after` is what coverage will report once the sites are such places.
- Solved exactly as a mixed-integer program by HiGHS (SciPy) within a time budget
  ({siting.MILP_TIME_LIMIT_S:g} s) when it has at most {siting.MILP_MAX_NONZEROS:,} cell–site
  pairs: `solver: milp`, `optimal: true`.
- Otherwise, or if the budget runs out, greedy (largest gain first): `solver: greedy`, which
  covers at least (1 − 1/e) ≈ 63.2% of the optimum; `bound` is an upper bound on the optimum,
  the smallest of: HiGHS's dual bound (`milp_dual`), the greedy set's value plus the `add`
  largest gains still available (`greedy_online`), greedy ÷ (1 − 1/e) (`greedy_guarantee`), all
  the weight the candidates reach (`coverable`), or greedy itself when `add` is 1
  (`exhaustive`: every candidate was measured). A greedy answer that meets its bound is
  optimal. Before solving, cells no candidate reaches are dropped, cells reached by the same
  candidates merged, and candidates reaching a subset of another's cells dropped.
- `sites` come in the order chosen, each with its `gain` given the sites before it, so the
  gains add up to `after.covered_weight − before.covered_weight`.

For region staff (region admins, dispatchers, auditors) of the region or a region above it."""


@router.post(
    "/coverage/siting",
    response={200: SitingOut, **problems(404)},
    operation_id="coverage_siting",
    summary="Where new stations would reach the most people",
    description=DESCRIPTION,
)
def coverage_siting(request: HttpRequest, payload: SitingIn):
    result = siting_selectors.siting_suggest(
        actor=request.user,
        region_code=payload.region,
        add=payload.add,
        mode=payload.mode,
        minutes=payload.minutes,
        candidates=payload.candidates,
        weight=payload.weight,
        days=payload.days,
        at=payload.at,
        amenity=payload.amenity,
        include_partners=payload.include_partners,
    )
    return siting_payload(result)


def siting_payload(result: siting_selectors.Siting) -> dict:
    return {
        "region": result.region_code,
        "mode": result.mode,
        "minutes": result.minutes,
        "reach_m": result.reach_m,
        "add": result.add,
        "candidates": result.candidates,
        "candidate_count": result.candidate_count,
        "weight": result.weight,
        "days": result.days,
        "at": result.at,
        "amenity": result.amenity,
        "include_partners": result.include_partners,
        "population": result.population,
        "weight_total": result.weight_total,
        "before": vars(result.before),
        "after": vars(result.after),
        "sites": [vars(site) for site in result.sites],
        "solver": result.solver,
        "optimal": result.optimal,
        "bound": result.bound,
        "bound_kind": result.bound_kind,
    }
