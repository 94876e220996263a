"""Reads the figures pages make besides the figures themselves: the trail of regions above the
one shown that the caller may also read (the dashboard's breadcrumb), and the region open data
is read for (anyone may read it)."""

from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, NotFound
from dandelion.core.permissions import scope_queryset
from dandelion.regions import selectors as regions_selectors

from .selectors import VIEW


def _prefixes(code: str) -> list[str]:
    """The `code_prefix` of every region that may contain `code`: province "36", city "3604",
    district "360403", street "360403001"."""
    return [code[:n] for n in (2, 4, 6, 9) if n <= len(code)]


def figures_trail(*, actor, region) -> list:
    """The regions above `region` that `actor` may read figures of, top down, then `region`
    (one query)."""
    above = (
        scope_queryset(actor, VIEW, regions_selectors.regions_all())
        .filter(code_prefix__in=_prefixes(region.code))
        .exclude(pk=region.pk)
        .order_by(Length("code_prefix"), "code")
    )
    return [r for r in above if region.code.startswith(r.code_prefix)] + [region]


def public_region(*, code: str | None = None):
    """The region open data is read for: `code` (404 when there is none), or the widest there
    is."""
    if code:
        return regions_selectors.region_get(code=code)
    return regions_selectors.regions_all().order_by(Length("code_prefix"), "code").first()


def no_regions() -> NotFound:
    return NotFound(_("没有这项内容。"), code=CoreError.NOT_FOUND, extra={"entity": "region"})
