"""`GET /coverage/demand`: where workers look for stations, as anonymous daily counts by cell."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dandelion.core.api import problems

from .. import demand
from ..models import DEMAND_MIN_COUNT

router = Router(tags=["coverage"])


class DemandFilters(Schema):
    region: str = Field(..., max_length=12, description="The region's division code")
    days: int = Field(30, ge=1, le=demand.DAYS_MAX, description="The last N days, today included")


class DemandCellOut(Schema):
    h3: str = Field(description="H3 resolution-8 cell")
    lat: float = Field(description="The cell's centre (WGS-84)")
    lng: float
    count: int = Field(description="Nearby searches from the cell over the days")


class DemandOut(Schema):
    region: str
    days: int
    since: date
    until: date
    min_count: int = Field(description="A cell's day is stored only from this many searches on")
    total: int
    cells: list[DemandCellOut] = Field(description="Every cell with a stored count, most first")


DESCRIPTION = f"""Workers' nearby searches (`GET /stations/nearby`) of the region over the last
`days` days (Asia/Shanghai), per H3 resolution-8 cell (about 0.7 km²): the cells of the region's
coverage cells' parents. Anonymous by construction: no coordinate, person or time of day is
kept, and a cell's day is stored only once it has had {DEMAND_MIN_COUNT} searches (fewer are
never stored, so they are not in these sums). At most one row per cell of the region, so the
list is not paged. For region staff (region admins, dispatchers, auditors) of the region or a
region above it."""


@router.get(
    "/coverage/demand",
    response={200: DemandOut, **problems(404)},
    operation_id="coverage_demand",
    summary="Workers' nearby searches by cell",
    description=DESCRIPTION,
)
def coverage_demand(request: HttpRequest, filters: Query[DemandFilters]):
    result = demand.demand_of_region(
        actor=request.user, region_code=filters.region, days=filters.days
    )
    return {
        "region": result.region_code,
        "days": result.days,
        "since": result.since,
        "until": result.until,
        "min_count": DEMAND_MIN_COUNT,
        "total": result.total,
        "cells": [
            {"h3": cell, "lat": lat, "lng": lng, "count": count}
            for cell, lat, lng, count in result.cells
        ],
    }
