"""The notifications API's schemas."""

from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    params: dict
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationFilters(Schema):
    unread: bool | None = None


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class LiveSnapshotOut(Schema):
    unread: int
    counters: dict[str, int]
