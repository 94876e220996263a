"""`GET /api/v1/open-data/figures`: the aggregate figures of a region for a whole month, public,
published so they identify nobody (`figures.open_data`: at community level people-figures
under 5 are withheld)."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dandelion.core.api import problems
from dandelion.core.refs import RegionRef

from .. import open_data
from ..schemas import Breakdown

router = Router(tags=["open data"])


class OpenDataFilters(Schema):
    region: str | None = Field(
        None,
        pattern=r"^\d{6}(\d{3}){0,2}$",
        description="Division code of the region (GB/T 2260); default: the widest region",
    )
    month: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="The month, YYYY-MM; default: the last month that has ended. Only months "
        "that have ended are published",
    )


class OpenFigureOut(Schema):
    key: str = Field(
        description="The figure, as `section.name` of the figures API "
        "(or a headline key in `by_region`)"
    )
    label: str = Field(description="The figure's name in the reader's language")
    value: int | float | None = Field(
        description="The figure; null when withheld (see `suppressed`)"
    )
    suppressed: bool = Field(
        description="True when the figure counts fewer than `suppress_below` persons in a "
        "community and is withheld"
    )


class OpenRegionOut(Schema):
    region: RegionRef
    level: str = Field(description="The child region's level (district, street, community)")
    level_label: str
    figures: list[OpenFigureOut] = Field(description="The child region's headline numbers")


class OpenBreakdownOut(Schema):
    key: str = Field(description="reports_by_category or stations_by_kind")
    title: str
    rows: list[Breakdown]


class OpenDataOut(Schema):
    region: RegionRef
    level: str
    level_label: str
    month: str = Field(description="The month published, YYYY-MM")
    date_from: date
    date_to: date
    suppress_below: int = Field(description="People-figures of a community below this are withheld")
    note: str = Field(description="The publishing rule, in the reader's language")
    figures: list[OpenFigureOut]
    by_region: list[OpenRegionOut] = Field(description="Each child region's headline numbers")
    breakdowns: list[OpenBreakdownOut]


@router.get(
    "/open-data/figures",
    response={200: OpenDataOut, **problems(404)},
    operation_id="open_data_figures",
    summary="Open data: a region's aggregate figures for a month (public)",
    description=(
        "The programme's aggregate figures of a region for a month that has ended, for anyone. "
        "They identify nobody: at community level, a figure counting persons (workers "
        "registered, distinct visitors, volunteers, party members, people served) below 5 is "
        "null with `suppressed: true`. 404 for an unknown region; 422 for a month that has not "
        "ended."
    ),
    auth=None,
)
def open_data_figures(request: HttpRequest, filters: Query[OpenDataFilters]):
    return open_data.open_data_get(region_code=filters.region, month=filters.month)
