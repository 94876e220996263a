"""Writes of the service menu. The demo and tests build the menu here; region admins edit it in
the admin, whose forms run the same model validation."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from dandelion.core.errors import invalid_from_validation, validated_save

from .errors import CatalogError
from .models import ItemQuestion, ServiceCategory, ServiceItem
from .questions import choices_validate


@transaction.atomic
def category_upsert(
    *, code: str, name: str, name_en: str = "", icon: str = "", sort_order: int = 100
) -> tuple[ServiceCategory, bool]:
    """The category with `code`, created or brought up to date."""
    category, created = ServiceCategory.objects.get_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "icon": icon, "sort_order": sort_order},
    )
    if not created:
        changed = {"name": name, "name_en": name_en, "icon": icon, "sort_order": sort_order}
        if any(getattr(category, k) != v for k, v in changed.items()):
            for key, value in changed.items():
                setattr(category, key, value)
            category.save()
    return category, created


@transaction.atomic
def item_create(
    *,
    category: ServiceCategory,
    code: str,
    name: str,
    region,
    regions_served: Iterable = (),
    providers: Iterable = (),
    questions: Iterable[dict] = (),
    **fields,
) -> ServiceItem:
    """A new item serving `regions_served` (default: its own region), with its questions:
    dicts of `ItemQuestion` fields (`key`, `label`, `kind`, `required`, `choices`, …)."""
    item = ServiceItem(
        category=category, code=code, name=name, region=region, city_code=region.city_code, **fields
    )
    validated_save(item, exclude=["city_code"], code=CatalogError.INVALID_SERVICE_ITEM)
    item.regions_served.set(list(regions_served) or [region])
    item.providers.set(list(providers))
    for order, spec in enumerate(questions, start=1):
        question_add(item=item, sort_order=order, **spec)
    return item


def question_add(*, item: ServiceItem, **fields) -> ItemQuestion:
    question = ItemQuestion(item=item, **fields)
    try:
        question.full_clean()
        choices_validate(question.kind, question.choices)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):  # the choices' own check names no field
            exc = ValidationError({"choices": exc.error_list})
        raise invalid_from_validation(exc, code=CatalogError.INVALID_QUESTION) from None
    question.save()
    return question
