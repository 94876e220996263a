"""API schemas of needs, wishes and problems."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from dandelion.core.refs import RegionRef

NeedState = Literal[
    "submitted", "dispatched", "accepted", "in_progress", "resolved", "closed", "cancelled"
]
NeedAction = Literal[
    "dispatch", "accept", "decline", "start", "resolve", "rate", "reopen", "cancel"
]
REGION_PATTERN = r"^\d{6}(\d{3}){0,2}$"


class Ref(Schema):
    id: int
    name: str


class ItemRef(Schema):
    code: str
    name: str


class WorkerRef(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked (138****5678)")


class NeedIn(Schema):
    item: str | None = Field(
        None, max_length=48, description="The menu item's code; null or `other` for “other”"
    )
    description: str = Field(..., max_length=2000)
    answers: dict[str, Any] = Field(default_factory=dict, description="Answers keyed by question")
    address: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90, description="WGS-84")
    lng: float | None = Field(None, ge=-180, le=180, description="WGS-84")
    region: str | None = Field(
        None, pattern=REGION_PATTERN, description="The street; default the worker's work street"
    )
    urgency: Literal["normal", "urgent"] = "normal"
    client_token: str = Field(
        "", max_length=64, description="A retry with the same token returns the first need"
    )


class NeedOut(Schema):
    id: int
    state: NeedState
    state_label: str
    item: ItemRef | None
    description: str
    urgency: str
    region: RegionRef
    department: Ref | None
    submitted_at: datetime
    accept_due_at: datetime
    resolve_due_at: datetime
    overdue: Literal["accept", "resolve"] | None
    round: int


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    by: str = Field(description="The office (or role) that acted, never the staff member's name")
    role: str
    department: Ref | None = Field(description="Where a dispatch sent the need")
    note: str
    at: datetime


class AnswerOut(Schema):
    key: str
    question: str
    answer: str


class RatingOut(Schema):
    round: int
    stars: int
    tags: list[str]
    comment: str
    at: datetime


class NeedDetailOut(NeedOut):
    answers: list[AnswerOut]
    address: str
    lat: float | None
    lng: float | None
    resolution: str
    worker: WorkerRef | None = Field(description="Staff only")
    photos: list[str]
    events: list[EventOut]
    ratings: list[RatingOut]
    actions: list[NeedAction] = Field(description="What the caller may do now")


class NeedFilters(Schema):
    state: list[NeedState] = Field(default_factory=list)
    item: str | None = Field(None, max_length=48, description="Item code, or `other`")
    overdue: bool | None = None
    region: str | None = Field(None, pattern=REGION_PATTERN)
    mine: bool = Field(False, description="Only the caller's own needs")


class DispatchIn(Schema):
    department_id: int
    note: str = Field("", max_length=2000)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class OptionalReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class ResolveIn(Schema):
    note: str = Field(..., max_length=2000, description="What was done")


class RateIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    tags: list[str] = Field(default_factory=list, max_length=5)
    comment: str = Field("", max_length=500)


class ContactOut(Schema):
    phone: str


class ReviewOut(Schema):
    id: int
    need_id: int
    item: ItemRef | None
    department: Ref | None
    stars: int
    comment: str
    state: Literal["open", "closed"]
    note: str
    opened_at: datetime


class ReviewCloseIn(Schema):
    note: str = Field(..., max_length=2000)


class WishIn(Schema):
    title: str = Field(..., max_length=60)
    description: str = Field("", max_length=500)
    need_id: int | None = None


class WishOut(Schema):
    id: int
    title: str
    description: str
    region: RegionRef
    state: Literal["pending_review", "rejected", "open", "pledged", "fulfilled", "withdrawn"] = (
        Field(
            description="pending_review and rejected only where the region reviews wishes; "
            "such wishes are seen by their author and the region's reviewers, never the wall"
        )
    )
    state_label: str
    created_at: datetime
    pledged_by: str | None = Field(description="The pledger's public name while pledged")


class MyWishOut(WishOut):
    need_id: int | None


class WishRejectIn(Schema):
    reason: str = Field(..., max_length=200, description="Told to the wish's author")


class WishFilters(Schema):
    region: str | None = Field(None, pattern=REGION_PATTERN)


class PledgeIn(Schema):
    kind: Literal["volunteer", "organisation", "merchant"]
    display_name: str = Field(..., max_length=60, description="Shown on the wall")
    message: str = Field("", max_length=200)


class PledgeOut(Schema):
    id: int
    wish_id: int
    kind: str
    display_name: str
    state: Literal["active", "fulfilled", "lapsed", "withdrawn"]
    pledged_at: datetime
    due_at: datetime


class ProblemIn(Schema):
    title: str = Field(..., max_length=120)
    description: str = Field("", max_length=4000)
    region: str = Field(..., pattern=REGION_PATTERN)
    need_ids: list[int] = Field(default_factory=list, max_length=200)


class ConsultationIn(Schema):
    held_on: date
    department_ids: list[int] = Field(..., min_length=1, max_length=50)
    attendees: str = Field("", max_length=1000)
    decisions: str = Field(..., max_length=4000)
    owner_id: int | None = None


class ConsultationOut(Schema):
    id: int
    held_on: date
    departments: list[Ref]
    attendees: str
    decisions: str
    owner: Ref | None


class NeedsProblemOut(Schema):
    id: int
    title: str
    description: str
    region: RegionRef
    state: Literal["open", "solved", "unsolved"]
    state_label: str
    raised_at: datetime
    closed_at: datetime | None
    outcome: str


class NeedsProblemDetailOut(NeedsProblemOut):
    need_ids: list[int]
    consultations: list[ConsultationOut]


class ProblemFilters(Schema):
    state: Literal["open", "solved", "unsolved"] | None = None
    region: str | None = Field(None, pattern=REGION_PATTERN)


class ProblemCloseIn(Schema):
    outcome: Literal["solved", "unsolved"]
    note: str = Field("", max_length=2000)


class ProblemStatsFilters(Schema):
    region: str | None = Field(None, pattern=REGION_PATTERN)
    start: date | None = Field(None, description="First day (Asia/Shanghai), inclusive")
    end: date | None = Field(None, description="Last day (Asia/Shanghai), inclusive")


class NeedsProblemStatsOut(Schema):
    raised: int
    solved: int
    unsolved: int
    open: int
