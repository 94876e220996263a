"""Configuration (demo loader, tests, scripts): categories with their questions, routing."""

from django.db import transaction

from dandelion.core.errors import validated_save

from ..models import CategoryAttribute, ReportCategory, RoutingRule


@transaction.atomic
def category_upsert(
    *,
    region,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    group: str = "",
    keywords: str = "",
    icon: str = "",
    order: int = 100,
    attributes: list[dict] | tuple = (),
) -> tuple[ReportCategory, bool]:
    """Create the category `code` of the region's city, or update it; its extra questions
    are replaced by `attributes` ({code, description, datatype, required, values…})."""
    category = ReportCategory.objects.filter(city_code=region.city_code, code=code).first()
    created = category is None
    category = category or ReportCategory(city_code=region.city_code, code=code)
    for field, value in {
        "region": region,
        "name": name,
        "name_en": name_en,
        "description": description,
        "group": group,
        "keywords": keywords,
        "icon": icon,
        "order": order,
    }.items():
        setattr(category, field, value)
    validated_save(category)
    wanted = {a["code"] for a in attributes}
    category.attributes.exclude(code__in=wanted).delete()
    for order_no, spec in enumerate(attributes, start=1):
        CategoryAttribute.objects.update_or_create(
            category=category,
            code=spec["code"],
            defaults={
                "description": spec["description"],
                "description_en": spec.get("description_en", ""),
                "datatype": spec.get("datatype", CategoryAttribute.Datatype.STRING),
                "datatype_description": spec.get("datatype_description", ""),
                "datatype_description_en": spec.get("datatype_description_en", ""),
                "required": spec.get("required", False),
                "order": spec.get("order", order_no),
                "values": spec.get("values", []),
            },
        )
    return category, created


def routing_rule_set(*, region, category: ReportCategory | None, organisation) -> bool:
    """Reports of `category` (None: any) in `region` go to `organisation`. True if created."""
    _rule, created = RoutingRule.objects.update_or_create(
        region=region, category=category, defaults={"organisation": organisation}
    )
    return created
