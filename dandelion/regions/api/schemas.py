from typing import Any

from ninja import Field, Schema


class CentreOut(Schema):
    lat: float
    lng: float


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    level: str = Field(description="province, city, district, street or community")
    parent_code: str | None
    centre: CentreOut | None = Field(description="WGS-84")
    population: int | None
    boundary: dict[str, Any] | None = Field(
        description="A GeoJSON Polygon or MultiPolygon, WGS-84, [lng, lat] positions"
    )


class RegionFilters(Schema):
    parent: str | None = Field(
        None,
        max_length=12,
        description="The parent's division code; without it, the top-level regions",
    )
