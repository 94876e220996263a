"""The points API's schemas: `<Entity>In`, `<Entity>Out`, `<Entity>Filters`."""

from datetime import datetime

from ninja import Field, Schema

from dandelion.core.pagination import MAX_PAGE_SIZE

REGION_CODE = r"^\d{6}(\d{3}){0,2}$"


class HistoryEntryOut(Schema):
    id: int
    amount: int = Field(description="Positive when points came in, negative when spent")
    balance_after: int
    reason: str
    reason_label: str
    memo: str
    event: str
    at: datetime


class MyPointsOut(Schema):
    balance: int
    count: int = Field(description="Entries in the whole history")
    page: int
    page_size: int
    items: list[HistoryEntryOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class RewardProviderOut(Schema):
    kind: str = Field(description="station, partner or merchant")
    id: int
    name: str
    address: str


class RewardOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    price: int
    stock: int
    per_person_limit: int
    valid_from: datetime
    valid_until: datetime
    provider: RewardProviderOut
    region_code: str


class RewardFilters(Schema):
    region: str | None = Field(None, pattern=REGION_CODE, description="Division code")


class RedemptionOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    price: int
    reward: RewardOut
    created_at: datetime
    expires_at: datetime
    fulfilled_at: datetime | None
    qr_svg: str = Field(description="An inline SVG QR code of the code, for the counter to scan")


class FulfilIn(Schema):
    code: str = Field(min_length=1, max_length=20)


class AwardIn(Schema):
    user_id: int
    event: str = Field(description="An earning event, e.g. training_attended")
    region_code: str = Field(pattern=REGION_CODE)
    reference: str = Field(min_length=1, max_length=60, description="The occasion, once per worker")
    memo: str = Field("", max_length=200)


class AwardOut(Schema):
    created: bool
    points: int
    note: str
    transfer_id: int | None


class ReverseIn(Schema):
    memo: str = Field(min_length=1, max_length=200)


class TransferOut(Schema):
    id: int
    reason: str
    amount: int
    memo: str
    reverses_id: int | None
    created_at: datetime
