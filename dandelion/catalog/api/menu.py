"""The service menu, public: `GET /catalog` (filtered by region) and one item."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import selectors
from .models import ItemQuestion, ServiceCategory, ServiceItem

router = Router(tags=["catalog"])

REGION_PATTERN = r"^\d{6}(\d{3}){0,2}$"


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    key: str
    label: str
    kind: Literal["text", "number", "date", "single", "multiple"]
    required: bool
    choices: list[ChoiceOut]


class ProviderOut(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    description: str
    category: str = Field(description="The category's code")
    accept_hours: int = Field(description="Hours within which a need should be accepted")
    resolve_hours: int = Field(description="Hours within which a need should be resolved")
    needs_location: bool
    providers: list[ProviderOut]
    questions: list[QuestionOut]


class CategoryOut(Schema):
    code: str
    name: str
    icon: str
    items: list[ItemOut]


class CatalogFilters(Schema):
    region: str | None = Field(
        None, pattern=REGION_PATTERN, description="Division code: only items serving it"
    )


def question_payload(question: ItemQuestion) -> dict:
    return {
        "key": question.key,
        "label": question.text,
        "kind": question.kind,
        "required": question.required,
        "choices": [{"value": v, "label": label} for v, label in question.choice_options()],
    }


def item_payload(item: ServiceItem) -> dict:
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.label,
        "description": item.description_label,
        "category": item.category.code,
        "accept_hours": item.accept_hours,
        "resolve_hours": item.resolve_hours,
        "needs_location": item.needs_location,
        "providers": [{"id": org.pk, "name": org.name} for org in item.providers.all()],
        "questions": [question_payload(q) for q in item.questions.all()],
    }


def category_payload(category: ServiceCategory) -> dict:
    return {
        "code": category.code,
        "name": category.label,
        "icon": category.icon,
        "items": [item_payload(item) for item in category.menu_items],
    }


@router.get(
    "/catalog",
    response=list[CategoryOut],
    operation_id="catalog_list",
    summary="The service menu: categories and the items serving a region",
    description=(
        "What workers can order (服务清单). A bounded menu (tens of items), so not paged. "
        "Names are in the request's language."
    ),
    auth=None,
)
def catalog_list(request: HttpRequest, filters: Query[CatalogFilters]):
    return [category_payload(c) for c in selectors.catalog_for_region(region_code=filters.region)]


@router.get(
    "/catalog/items/{code}",
    response=ItemOut,
    operation_id="catalog_item_get",
    summary="One item of the service menu, with its questions",
    auth=None,
)
def catalog_item_get(request: HttpRequest, code: str):
    return item_payload(selectors.item_get(code=code))
