"""The figures (工作数据), defined once: what `figures_compute` returns, what
`GET /api/v1/figures` answers, and what the dashboard, the exports, the monthly brief and open
data are built on.

Flows (things that happened: submitted, resolved, hours…) are counted over the period
`date_from`..`date_to` inclusive, days taken in the region's time zone (Asia/Shanghai unless the
region says otherwise). Stocks (stations, registered workers, teams, branches…) are counted as
of the end of `date_to`. Every figure equals a raw recount of the rows it counts
(`manage.py figures_check`).
"""

from datetime import date

from ninja import Field, Schema

from dandelion.core.refs import RegionRef

# The longest period one request may ask for, in days (a little over ten years).
MAX_SPAN_DAYS = 3700


class FiguresFilters(Schema):
    region: str | None = Field(
        None,
        pattern=r"^\d{6}(\d{3}){0,2}$",
        description="Division code of the region (GB/T 2260); default: the caller's own region",
    )
    date_from: date | None = Field(
        None,
        alias="from",
        description="First day of the period (YYYY-MM-DD, in the region's time zone); default: "
        "the first day of the month of `to`",
    )
    date_to: date | None = Field(
        None,
        alias="to",
        description="Last day of the period, inclusive (YYYY-MM-DD, in the region's time "
        "zone); default: today. Stocks are counted as of the end of this day",
    )


class Breakdown(Schema):
    """One row of a breakdown: a code, its label in the reader's language, and its count."""

    key: str = Field(description="Stable code of the category (a kind, a status, a star count…)")
    label: str = Field(description="The category's name in the reader's language")
    value: int = Field(description="The count in this category")


class StationsFigures(Schema):
    total: int = Field(description="Active stations as of `to`")
    by_kind: list[Breakdown] = Field(description="Active stations as of `to`, by station kind")
    by_origin: list[Breakdown] = Field(
        description="Active stations as of `to`, by origin (renovated, newly built, partner-hosted)"
    )
    open_24h: int = Field(description="Active stations open around the clock as of `to`")
    by_stars: list[Breakdown] | None = Field(
        None,
        description="Active stations as of `to` by their star rating (keys 0-5, 0: unrated); "
        "null until star ratings exist",
    )


class PartnersFigures(Schema):
    total: int = Field(description="Active partner places (caring merchants…) as of `to`")
    by_kind: list[Breakdown] = Field(description="Active partner places as of `to`, by kind")


class WorkersFigures(Schema):
    registered: int = Field(description="Workers registered (报到) as of `to`")
    registered_in_period: int = Field(description="Workers who registered (报到) in the period")
    by_occupation: list[Breakdown] = Field(
        description="Workers registered (报到) as of `to`, by occupation"
    )


class VisitsFigures(Schema):
    count: int = Field(description="Visits (打卡) in the period, person-times")
    workers: int = Field(description="Distinct workers who visited (打卡) in the period")


class NeedsFigures(Schema):
    submitted: int = Field(description="Needs (点单) submitted in the period")
    resolved: int = Field(description="Needs resolved (办结) in the period")
    resolved_on_time: int = Field(
        description="Needs resolved in the period no later than their deadline"
    )
    rating_avg: float | None = Field(
        description="Average stars (1-5) of the ratings (评单) given in the period; null when none"
    )
    ratings: int = Field(description="Ratings (评单) given in the period")
    by_item: list[Breakdown] = Field(
        description="Needs submitted in the period, by service-menu item"
    )


class WishesFigures(Schema):
    posted: int = Field(description="Micro-wishes (微心愿) posted in the period")
    fulfilled: int = Field(description="Micro-wishes fulfilled in the period")


class ProblemsFigures(Schema):
    raised: int = Field(description="Problems raised for consultation (会商) in the period")
    solved: int = Field(description="Problems solved in the period")


class ReportsFigures(Schema):
    submitted: int = Field(description="Snapshot reports (随手拍) submitted in the period")
    by_status: list[Breakdown] = Field(
        description="Reports submitted in the period, by their status as of now"
    )
    fixed: int = Field(description="Reports fixed in the period")
    median_hours_to_fix: float | None = Field(
        description="Median time from submission to fix of the reports fixed in the period, in "
        "hours: each report's time in whole hours (rounded down), the lower median; null when "
        "none"
    )
    by_category: list[Breakdown] = Field(description="Reports submitted in the period, by category")


class VolunteeringFigures(Schema):
    teams: int = Field(description="Active volunteer teams as of `to`")
    volunteers: int = Field(
        description="Distinct volunteers with hours confirmed for activities in the period"
    )
    activities: int = Field(description="Volunteer activities held (ended) in the period")
    hours: float = Field(description="Volunteer hours confirmed in the period")


class PointsFigures(Schema):
    issued: int = Field(description="Points issued to workers in the period")
    redeemed: int = Field(description="Points spent on redemptions in the period")
    redemptions: int = Field(description="Rewards redeemed in the period")


class PartyFigures(Schema):
    members_identified: int = Field(
        description="Party members identified (declared and confirmed) as of `to`"
    )
    reregistered: int = Field(
        description="Mobile party members re-registered with a branch (归队) in the period"
    )
    branches: int = Field(description="Party branches as of `to`")


class StationServicesFigures(Schema):
    events: int = Field(description="Services logged at stations in the period")
    people_served: int = Field(description="People served by the logged services in the period")
    bottles: int = Field(description="Bottles of water given out in the period")


class HeadlineFigures(Schema):
    """The headline numbers: one row of `by_region` and of `series`."""

    stations: int = Field(description="Active stations at the end of the row's period")
    workers_registered: int = Field(
        description="Workers registered (报到) at the end of the row's period"
    )
    visits: int = Field(description="Visits (打卡), person-times")
    needs_submitted: int = Field(description="Needs (点单) submitted")
    needs_resolved: int = Field(description="Needs resolved (办结)")
    reports_submitted: int = Field(description="Snapshot reports (随手拍) submitted")
    reports_fixed: int = Field(description="Snapshot reports fixed")
    volunteer_hours: float = Field(description="Volunteer hours confirmed")
    points_issued: int = Field(description="Points issued to workers")
    redemptions: int = Field(description="Rewards redeemed")


class RegionFigures(HeadlineFigures):
    region: RegionRef
    level: str = Field(description="The child region's level (district, street, community)")


class MonthFigures(HeadlineFigures):
    month: str = Field(
        description="The month, YYYY-MM; flows are counted over the part of it "
        "inside the period, stocks at its last day inside the period"
    )
    date_from: date = Field(description="First day of the month inside the period")
    date_to: date = Field(description="Last day of the month inside the period")


class FiguresOut(Schema):
    region: RegionRef
    level: str = Field(description="The region's level (province, city, district, street…)")
    date_from: date = Field(description="First day of the period, in the region's time zone")
    date_to: date = Field(description="Last day of the period, inclusive")
    time_zone: str = Field(description="The time zone the days are taken in")
    stations: StationsFigures
    partners: PartnersFigures
    workers: WorkersFigures
    visits: VisitsFigures
    needs: NeedsFigures
    wishes: WishesFigures
    problems: ProblemsFigures
    reports: ReportsFigures
    volunteering: VolunteeringFigures
    points: PointsFigures
    party: PartyFigures
    station_services: StationServicesFigures | None = Field(
        None, description="Services logged at stations; null until the work log exists"
    )
    by_region: list[RegionFigures] = Field(
        description="The headline numbers of each child region over the same period"
    )
    series: list[MonthFigures] = Field(
        description="The headline numbers month by month over the period"
    )
