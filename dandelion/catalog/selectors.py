"""Reads of the service menu."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, NotFound
from dandelion.regions.selectors import region_get

from .models import ItemQuestion, ServiceCategory, ServiceItem

# Reading a worker's answers to an item's questions, for the apps that take them (needs): the
# same checks for the API's JSON and the H5's form fields.
from .questions import answers_display, answers_from_form, answers_validate

__all__ = [
    "ancestor_codes",
    "answers_display",
    "answers_from_form",
    "answers_validate",
    "catalog_for_region",
    "categories_active",
    "item_find",
    "item_get",
    "item_questions",
    "items_active",
    "items_for_directory",
    "items_serving",
]


def ancestor_codes(code: str) -> list[str]:
    """The division codes of `code` and every region containing it (GB/T 2260 levels):
    `360403001` → 360000, 360400, 360403, 360403001."""
    codes = [code[:2] + "0000", code[:4] + "00", code[:6]]
    if len(code) >= 9:
        codes.append(code[:9])
    if len(code) >= 12:
        codes.append(code[:12])
    return list(dict.fromkeys(codes))


def items_serving(*, region_code: str | None) -> QuerySet[ServiceItem]:
    """Active items of active categories; with a region, only those serving it (an item serving
    a district serves every street in it)."""
    qs = ServiceItem.objects.filter(is_active=True, category__is_active=True)
    if region_code:
        served = ServiceItem.regions_served.through.objects.filter(
            serviceitem_id=OuterRef("pk"), region__code__in=ancestor_codes(region_code)
        )
        qs = qs.filter(Exists(served))
    return qs


def _item_rows(qs: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return qs.select_related("category").prefetch_related(
        "providers",
        Prefetch("questions", queryset=ItemQuestion.objects.order_by("sort_order", "id")),
    )


def catalog_for_region(*, region_code: str | None = None) -> list[ServiceCategory]:
    """The menu: categories (in order) holding the items that serve the region; categories with
    no such item are left out. Three queries whatever the menu's size."""
    if region_code:
        region_get(code=region_code)  # 404 for a region that does not exist
    items = list(_item_rows(items_serving(region_code=region_code)))
    categories: dict[int, ServiceCategory] = {}
    for item in items:
        category = categories.setdefault(item.category_id, item.category)
        category.__dict__.setdefault("menu_items", []).append(item)
    return sorted(categories.values(), key=lambda c: (c.sort_order, c.pk))


def item_get(*, code: str, region_code: str | None = None) -> ServiceItem:
    item = _item_rows(items_serving(region_code=region_code)).filter(code=code).first()
    if item is None:
        raise NotFound(
            _("服务清单中没有这项服务。"),
            code=CoreError.NOT_FOUND,
            extra={"entity": "service_item"},
        )
    return item


def item_questions(item: ServiceItem | None) -> list[ItemQuestion]:
    if item is None:
        return []
    return list(item.questions.all())


def item_find(*, code: str) -> ServiceItem | None:
    """The active item with `code` on the menu (its category active too), or None."""
    return items_serving(region_code=None).select_related("category").filter(code=code).first()


def items_active() -> QuerySet[ServiceItem]:
    """Every active item, in the menu's order (a console's filter)."""
    return ServiceItem.objects.filter(is_active=True).order_by("category__sort_order", "sort_order")


# ---- for the directory app (the HSDS directory) ----


def categories_active() -> QuerySet[ServiceCategory]:
    """Active categories of the menu, in order."""
    return ServiceCategory.objects.filter(is_active=True).order_by("sort_order", "id")


def items_for_directory() -> QuerySet[ServiceItem]:
    """Active items of active categories, in the menu's order, with their category, providers
    and the regions they serve."""
    return (
        items_serving(region_code=None)
        .select_related("category")
        .prefetch_related("providers", "regions_served")
        .order_by("category__sort_order", "sort_order", "id")
    )
