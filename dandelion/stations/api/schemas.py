"""API schemas of stations: `<Entity>Out` and `<Entity>Filters`, per STYLE.md."""

import datetime as dt
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, field_validator

from dandelion.core.geo import BBox, bbox_parse
from dandelion.core.refs import RegionRef

from ..selectors import NEARBY_MAX_LIMIT

# A place's wall-clock time in its own region's zone, sent as "09:00:00". Not OpenAPI's
# `format: time`, which (RFC 3339) would promise an offset that is not sent.
ClockTime = Annotated[
    str,
    Field(
        pattern=r"^\d{2}:\d{2}(:\d{2})?$",
        description="Local wall-clock time, HH:MM:SS, in the place's own time zone",
        examples=["09:00:00"],
    ),
]

# How the navigation links plan the route: walking, riding (e-bike or bicycle, the default)
# or driving (core.geo.ROUTE_MODES maps a worker's vehicle to one).
RouteMode = Literal["walk", "ride", "drive"]
StationKind = Literal["comprehensive", "rider_home", "driver_home", "courier", "other"]
DivisionCode = Annotated[
    str | None, Field(pattern=r"^\d{6}(\d{3}){0,2}$", description="Division code")
]


class NearbyFilters(BaseModel):
    lat: float = Field(..., ge=-90, le=90, description="Latitude of the query point")
    lng: float = Field(..., ge=-180, le=180, description="Longitude of the query point")
    limit: int = Field(10, ge=1, le=NEARBY_MAX_LIMIT)
    amenity: list[str] = Field(
        default_factory=list, description="Amenity codes; all must be present"
    )
    open_now: bool = False
    kind: list[StationKind] = Field(default_factory=list, description="Station kinds")
    include_partners: bool = False
    coord: Literal["wgs84", "gcj02"] = Field("wgs84", description="Datum of lat/lng in and out")
    min_stars: int = Field(
        0,
        ge=0,
        le=5,
        description="Only stations of at least this many stars (0 = any); 1 or more leaves "
        "partner places out, as they have no stars",
    )


class StationFilters(Schema):
    region: DivisionCode = None
    kind: list[StationKind] = Field(default_factory=list)
    amenity: list[str] = Field(default_factory=list)
    q: str | None = Field(None, max_length=100, description="Text in name, address or host")
    min_stars: int = Field(
        0, ge=0, le=5, description="Only stations of at least this many stars (0 = any)"
    )
    bbox: str | None = Field(
        None, description="min_lng,min_lat,max_lng,max_lat (WGS-84): only places inside the box"
    )

    @field_validator("bbox")
    @classmethod
    def parse_bbox(cls, value: str | None) -> str | None:
        if value is not None:
            bbox_parse(value)
        return value

    def bbox_tuple(self) -> BBox | None:
        return bbox_parse(self.bbox) if self.bbox else None


class PartnerFilters(Schema):
    region: DivisionCode = None
    amenity: list[str] = Field(default_factory=list)
    q: str | None = Field(None, max_length=100, description="Text in name or address")


class AmenityOut(Schema):
    code: str
    name: str = Field(description="Name in the request's language")
    name_zh: str
    name_en: str
    icon: str


class OpeningIntervalOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    opens: ClockTime
    closes: ClockTime = Field(description="At or before `opens` means past midnight")


class HoursExceptionOut(Schema):
    date: date
    closed: bool
    opens: ClockTime | None
    closes: ClockTime | None
    note: str


class StationPhotoOut(Schema):
    url: str
    caption: str


class NavigationOut(Schema):
    amap: str = Field(description="Amap's web route page from the phone's position, GCJ-02")
    baidu: str = Field(description="Baidu Maps' web page of the place, BD-09")
    tencent: str = Field(description="Tencent Maps' web route page, GCJ-02")
    amap_app: str = Field(description="Amap app route (Android, amapuri://), GCJ-02")
    amap_ios: str = Field(description="Amap app route (iOS, iosamap://), GCJ-02")
    baidu_app: str = Field(description="Baidu Maps app route (baidumap://), BD-09")
    tencent_app: str = Field(description="Tencent Maps app route (qqmap://), GCJ-02")


class PlaceBaseOut(Schema):
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


class StationOut(PlaceBaseOut):
    uuid: str
    origin: str
    origin_label: str
    host_org_name: str
    area_m2: int | None
    seats: int | None
    stars: int = Field(ge=0, le=5, description="Star level (星级), 0 = unrated")
    stars_valid_until: date | None = Field(description="Last day the star level holds")


class StationDetailOut(StationOut):
    hours: list[OpeningIntervalOut]
    exceptions: list[HoursExceptionOut] = Field(description="Dated exceptions from yesterday on")
    photos: list[StationPhotoOut]
    notes: str


class PartnerOut(PlaceBaseOut):
    uuid: str
    offer: str


class PartnerDetailOut(PartnerOut):
    hours: list[OpeningIntervalOut]
    exceptions: list[HoursExceptionOut]


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
    riding_minutes: int = Field(description="By e-bike at 250 m a minute, rounded up")
    region: RegionRef
    phone: str
    is_24h: bool
    open_now: bool
    amenities: list[AmenityOut]
    navigation: NavigationOut
    offer: str = ""
    stars: int = Field(0, ge=0, le=5, description="Star level (星级), 0 = unrated or a partner")
    stars_valid_until: date | None = Field(None, description="Last day the star level holds")


class NearbyResultOut(Schema):
    count: int
    coord: Literal["wgs84", "gcj02"]
    items: list[NearbyOut]


class ServiceKindRef(Schema):
    code: str
    name: str = Field(description="Name in the request's language")
    counts_bottles: bool


class ServiceLogIn(Schema):
    date: dt.date = Field(description="The station's local day the service was held")
    kind: str = Field(..., max_length=40, description="Service kind code (see `kind` below)")
    people_served: int = Field(0, ge=0, le=100_000)
    bottles: int | None = Field(
        None, ge=0, le=1_000_000, description="Bottles given: for fridge refills, and only them"
    )
    note: str = Field("", max_length=255)


class ServiceLogOut(Schema):
    id: int
    station_id: int
    date: date
    kind: ServiceKindRef
    people_served: int
    bottles: int | None
    note: str
    photo_url: str | None
    created_at: datetime
