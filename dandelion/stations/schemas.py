"""API schemas of stations: `<Entity>Out` and `<Entity>Filters`, per STYLE.md."""

from datetime import date, time
from typing import Literal

from django.utils.translation import get_language
from ninja import Field, Schema


class AmenityOut(Schema):
    code: str
    name: str = Field(description="Name in the request's language")
    name_zh: str
    name_en: str
    icon: str


class RegionRef(Schema):
    code: str
    name: str


class IntervalOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    opens: time
    closes: time = Field(description="At or before `opens` means past midnight")


class ExceptionOut(Schema):
    date: date
    closed: bool
    opens: time | None
    closes: time | None
    note: str


class PhotoOut(Schema):
    url: str
    caption: str


class NavigationOut(Schema):
    amap: str = Field(description="Amap marker link, GCJ-02")
    baidu: str = Field(description="Baidu Maps marker link, BD-09")
    tencent: str = Field(description="Tencent Maps marker link, GCJ-02")


class PlaceOut(Schema):
    id: int
    type: Literal["station", "partner"]
    name: str
    kind: str
    kind_label: str
    address: str
    lat: float
    lng: float
    coord: Literal["wgs84", "gcj02"] = Field(description="Datum of lat/lng in this response")
    region: RegionRef
    phone: str
    is_24h: bool
    status: str
    open_now: bool
    amenities: list[AmenityOut]
    navigation: NavigationOut


class StationOut(PlaceOut):
    uuid: str
    origin: str
    origin_label: str
    host_org_name: str
    area_m2: int | None


class StationDetailOut(StationOut):
    hours: list[IntervalOut]
    exceptions: list[ExceptionOut] = Field(description="Dated exceptions from yesterday on")
    photos: list[PhotoOut]
    notes: str


class PartnerOut(PlaceOut):
    uuid: str
    offer: str


class PartnerDetailOut(PartnerOut):
    hours: list[IntervalOut]
    exceptions: list[ExceptionOut]


class NearbyOut(Schema):
    id: int
    type: Literal["station", "partner"]
    name: str
    kind: str
    kind_label: str
    address: str
    lat: float
    lng: float
    coord: Literal["wgs84", "gcj02"]
    distance_m: float = Field(description="Great-circle distance from the query point, metres")
    walking_minutes: int = Field(description="At 80 m a minute, rounded up")
    region: RegionRef
    phone: str
    is_24h: bool
    open_now: bool
    amenities: list[AmenityOut]
    navigation: NavigationOut
    offer: str = ""


class NearbyResultOut(Schema):
    count: int
    coord: Literal["wgs84", "gcj02"]
    items: list[NearbyOut]


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(zh: str, en: str) -> str:
    return en if is_english() else zh
