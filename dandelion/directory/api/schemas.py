from typing import Any

from ninja import Field, Schema


class RootOut(Schema):
    version: str = Field(description="The HSDS version this API speaks")
    profile: str = Field(description="The URI of Dandelion's HSDS profile")
    openapi_url: str = Field(description="The URI of this API's OpenAPI document")
    publisher: str = Field(description="Who publishes the directory")


class PageOut(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="Objects on this page")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="True when this page holds no object")
    contents: list[dict[str, Any]]


class ProfileOut(Schema):
    name: str
    hsds_version: str
    description: str
    schemas: dict[str, dict[str, Any]] = Field(
        description="Schema name → its JSON Merge Patch (RFC 7396) over the specification's"
    )
