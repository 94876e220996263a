"""Reads of regions."""

from django.db.models import QuerySet

from dandelion.core.errors import NotFound

from .models import Region


def region_get(*, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(f"No region with code {code}.", code="region_not_found")
    return region


def regions_within(*, code: str) -> QuerySet[Region]:
    """The region with `code` and every region inside it."""
    return Region.objects.filter(code__startswith=region_get(code=code).code_prefix)


def region_list(*, parent_code: str | None = None, level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.select_related("parent")
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")
