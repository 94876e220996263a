"""The service menu's API shapes. Names carry the app (`CatalogCategoryOut`): other apps have
categories and providers of their own."""

from typing import Literal

from ninja import Field, Schema

REGION_PATTERN = r"^\d{6}(\d{3}){0,2}$"


class CatalogChoiceOut(Schema):
    value: str
    label: str


class CatalogQuestionOut(Schema):
    key: str
    label: str
    kind: Literal["text", "number", "date", "single", "multiple"]
    required: bool
    choices: list[CatalogChoiceOut]


class CatalogProviderOut(Schema):
    id: int
    name: str


class CatalogItemOut(Schema):
    id: int
    code: str
    name: str
    description: str
    category: str = Field(description="The category's code")
    accept_hours: int = Field(description="Hours within which a need should be accepted")
    resolve_hours: int = Field(description="Hours within which a need should be resolved")
    needs_location: bool
    providers: list[CatalogProviderOut]
    questions: list[CatalogQuestionOut]


class CatalogCategoryOut(Schema):
    code: str
    name: str
    icon: str
    items: list[CatalogItemOut]


class CatalogFilters(Schema):
    region: str | None = Field(
        None, pattern=REGION_PATTERN, description="Division code: only items serving it"
    )
