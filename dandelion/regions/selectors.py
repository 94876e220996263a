"""Reads of regions."""

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, NotFound

from .divisions import code_prefix  # noqa: F401  (the prefix a code's subtree shares)
from .models import PopulationCell, Region
from .shapes import boundary_contains

# The levels of the division tree, for callers that may not import the model.
Level = Region.Level
RegionLevel = Level  # the same, under the name a caller reads without context


def region_find(*, code: str) -> Region | None:
    """The region with `code`, or None."""
    return Region.objects.filter(code=code).first()


def region_get(*, code: str) -> Region:
    region = region_find(code=code)
    if region is None:
        raise NotFound(
            _("没有代码为 %(code)s 的区划。") % {"code": code},
            code=CoreError.NOT_FOUND,
            extra={"entity": "region", "code": code},
        )
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


def regions_near(
    *, lat: float, lng: float, degrees: float, levels: Sequence[str], text: str = ""
) -> QuerySet[Region]:
    """Regions of `levels` whose centre lies within `degrees` of a point: what a deployment
    offers as places to pick, without listing every street in the country."""
    qs = Region.objects.select_related("parent").filter(
        level__in=levels,
        center_lat__range=(lat - degrees, lat + degrees),
        center_lng__range=(lng - degrees, lng + degrees),
    )
    if text:
        qs = qs.filter(name__icontains=text)
    return qs.order_by("code")


def regions_all() -> QuerySet[Region]:
    """Every region, for a caller that narrows it (a permission scope, a form's choices)."""
    return Region.objects.all()


def regions_by_id(*, ids: Iterable[int]) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=list(ids))


def regions_by_code(*, codes: Iterable[str], level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(code__in=list(codes))
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def region_facts() -> list[tuple[int, str, str, str]]:
    """`(id, code, name, timezone)` of every region: what the stations' nearby index keeps of
    each, read in one query."""
    return list(Region.objects.values_list("id", "code", "name", "timezone"))


def streets_list(*, district: str | None = None) -> QuerySet[Region]:
    """Every street (街道/乡镇), or those of a district (its 6-digit code), by code."""
    qs = Region.objects.filter(level=Region.Level.STREET)
    if district:
        qs = qs.filter(code__startswith=district[:6])
    return qs.order_by("code")


def regions_with_boundary_within(*, region: Region, level: str | None = None) -> QuerySet[Region]:
    """The regions inside `region` (itself included) that have a boundary, of `level` if
    given, by code."""
    qs = Region.objects.filter(code__startswith=region.code_prefix, boundary__isnull=False)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def population_grid_within(*, region: Region) -> dict[str, int]:
    """The population grid (H3 resolution-9 cell → people) of the cities `region` lies in or
    contains; empty when none was loaded."""
    return dict(
        PopulationCell.objects.filter(city_code__startswith=region.code_prefix[:4])
        .order_by()
        .values_list("h3", "people")
    )


def region_at_point(
    *, lat: float, lng: float, levels: Sequence[str] | None = None
) -> Region | None:
    """The deepest region (of `levels`, if given) whose boundary holds a WGS-84 point (on an
    edge counts), or None when no boundary does. Two regions of one level holding it (on a
    shared edge): the lower code."""
    qs = Region.objects.filter(
        boundary__isnull=False,
        bbox_south__lte=lat,
        bbox_north__gte=lat,
        bbox_west__lte=lng,
        bbox_east__gte=lng,
    )
    if levels:
        qs = qs.filter(level__in=levels)
    candidates = sorted(qs, key=lambda r: (-len(r.code_prefix), r.code))
    return next((r for r in candidates if boundary_contains(r.boundary, lat=lat, lng=lng)), None)


def region_detail(*, code: str) -> Region:
    """The region with `code` and its parent (404 if there is none)."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    return region if region is not None else region_get(code=code)


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    """The regions directly below `parent_code` (404 if it is not a region), or the top-level
    regions, by code, with their parents."""
    qs = Region.objects.select_related("parent")
    if parent_code:
        qs = qs.filter(parent=region_get(code=parent_code))
    else:
        qs = qs.filter(parent__isnull=True)
    return qs.order_by("code")


def population_grid_version(*, region: Region) -> tuple:
    """What changes when the population grid of `region`'s cities changes (rows, last id, people),
    in one query: a key for values computed from the grid."""
    from django.db.models import Count, Max, Sum

    grid = PopulationCell.objects.filter(city_code__startswith=region.code_prefix[:4])
    totals = grid.aggregate(rows=Count("id"), last=Max("id"), people=Sum("people"))
    return (totals["rows"], totals["last"], totals["people"])
