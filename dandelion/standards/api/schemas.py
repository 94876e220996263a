"""Schemas of the standards API."""

from datetime import date, datetime

from ninja import Field, Schema


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: float
    guide: str
    evidence_required: bool
    is_bonus: bool
    measure: str | None = Field(None, description="The automatic measure, if scored from data")
    measure_params: dict


class IndicatorGroupOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: float
    indicators: list[IndicatorOut]


class StarLevelOut(Schema):
    stars: int
    min_points: float
    min_area_m2: int | None
    required_amenities: list[str]
    required_indicators: list[str] = Field(description="Indicators that must earn points")


class VetoRuleOut(Schema):
    kind: str = Field(description="unfixed_complaint or missed_opening")
    days: int
    count: int
    effect: str = Field(description="lose_star or delist")


class StandardOut(Schema):
    id: int
    region: str | None = Field(description="The region's code; null for the platform default")
    name: str
    version: int
    status: str
    published_at: datetime | None
    total_points: float
    bonus_points: float
    groups: list[IndicatorGroupOut]
    levels: list[StarLevelOut]
    vetoes: list[VetoRuleOut]


class StandardFilters(Schema):
    region: str | None = Field(None, max_length=12, description="A division code")


class StarCountsOut(Schema):
    code: str
    name: str
    counts: list[int] = Field(description="Stations at 0 (unrated), 1, 2, 3, 4 and 5 stars")
    total: int


class StarDistributionOut(StarCountsOut):
    children: list[StarCountsOut]


class StarDistributionFilters(Schema):
    region: str = Field(max_length=12, description="A division code")


class StationRefOut(Schema):
    id: int
    name: str
    region: str
    stars: int
    stars_valid_until: date | None


class StandardRefOut(Schema):
    id: int
    name: str
    version: int


class RoundRefOut(Schema):
    id: int
    name: str


class AssessmentOut(Schema):
    id: int
    state: str
    station: StationRefOut
    standard: StandardRefOut
    round: RoundRefOut | None
    total: float
    stars: int
    valid_until: date | None
    created_at: datetime
    approved_at: datetime | None


class EvidenceOut(Schema):
    id: int
    url: str
    caption: str
    created_at: datetime


class ScoreOut(Schema):
    code: str
    group: str
    group_name: str
    group_name_en: str
    name: str
    name_en: str
    max_points: float
    is_bonus: bool
    evidence_required: bool
    measure: str | None
    measured_value: float | None
    measured_source: str
    measured_points: float | None
    self_points: float | None
    self_note: str
    reviewed_points: float | None
    review_note: str
    override_reason: str
    points: float = Field(description="What counts: reviewed, else measured, else self")
    evidence: list[EvidenceOut]


class AssessmentEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    actor_role: str
    note: str
    created_at: datetime


class AssessmentDetailOut(AssessmentOut):
    shortfalls: list[dict]
    actions: list[str] = Field(description="What the caller may do now")
    scores: list[ScoreOut]
    events: list[AssessmentEventOut]


class AssessmentFilters(Schema):
    todo: bool = Field(False, description="Only those waiting for one of my roles")
    state: str | None = Field(None, max_length=16)
    round: int | None = Field(None, ge=1, le=2**31 - 1)
    region: str | None = Field(None, max_length=12)


class AssessmentIn(Schema):
    station_id: int = Field(ge=1, le=2**31 - 1)


class SelfScoreIn(Schema):
    points: float | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=2000)


class SelfScoresIn(Schema):
    scores: dict[str, SelfScoreIn]


class ReviewScoreIn(Schema):
    points: float | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=2000)
    override_reason: str = Field("", max_length=500)


class ReviewScoresIn(Schema):
    scores: dict[str, ReviewScoreIn]


class TransitionIn(Schema):
    action: str = Field(
        max_length=16, description="submit, review, return, approve, appeal, reconsider, dismiss"
    )
    note: str = Field("", max_length=2000)


class EvidenceIn(Schema):
    indicator: str = Field(max_length=8)
    caption: str = Field("", max_length=120)


class RoundIn(Schema):
    region: str = Field(max_length=12)
    name: str = Field(max_length=120)
    due_on: date | None = None


class RoundOut(Schema):
    id: int
    region: str
    name: str
    opened_at: datetime
    due_on: date | None
    progress: dict[str, int]


class SpotCheckIn(Schema):
    station_id: int = Field(ge=1, le=2**31 - 1)
    found_open: bool
    checked_at: datetime | None = Field(None, description="Defaults to now")
    note: str = Field("", max_length=300)


class SpotCheckOut(Schema):
    id: int
    station_id: int
    checked_at: datetime
    found_open: bool
    should_be_open: bool = Field(description="Whether the station's hours said open then")
    missed: bool = Field(description="Closed while the hours said open: counts for the veto")
    note: str
