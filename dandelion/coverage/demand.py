"""Demand: the anonymous trace workers' nearby searches leave, and what siting weighs by it.

Each valid `GET /api/v1/stations/nearby` sends the `stations.nearby_searched` hook
(`core.hooks`) with the H3 resolution-8 cell of the searched point (about 0.7 km²) and the
moment; the point itself never leaves the stations app, and nothing names the person. Here:

1. **k-anonymity.** A cell's searches of a day (`TIME_ZONE`, Asia/Shanghai) are counted in the
   cache (`django.core.cache`, key `coverage:demand:<day>:<cell>`, kept two days) until the 5th
   (`DEMAND_MIN_COUNT`); only then does the day's cell reach the database, with count 5, and
   every later search adds one. A cell with fewer than 5 searches a day is never stored. A
   process remembers the cells it has seen past the threshold today, so their later searches
   skip the cache (a few microseconds: busy cells are the common case).
2. **No write per search.** Counts past the 5th gather in this process's buffer and are added to
   `DemandCount` rows in one transaction at most every `DEMAND_FLUSH_SECONDS` (default 10 s), by
   the search that finds the buffer due, and when the process exits. A crash loses at most those
   seconds of counts, never privacy.

With several app processes the cache decides what "5 searches" means:
- **Redis** (`CACHES` with `django.core.cache.backends.redis.RedisCache`): one atomic counter
  shared by every process, so the threshold is exact, and each count is added once.
- **local memory** (Django's default `LocMemCache`): each process counts alone, so a cell is
  stored only once 5 searches reached the *same* process that day. This can only under-count
  (a cell with 5 searches spread over two processes is not stored; a stored cell misses the
  first searches of the other processes) and never stores a cell with fewer than 5 searches.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import h3
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core import hooks
from dandelion.core.errors import InvalidInput, field_error
from dandelion.regions.selectors import Level, regions_with_boundary_within

from .cells import boundary_cells
from .errors import CoverageError
from .models import DEMAND_MIN_COUNT, DemandCount
from .selectors import coverage_region_get

logger = logging.getLogger(__name__)

DEMAND_RESOLUTION = 8
PARENT_RESOLUTION = 5
CACHE_SECONDS = 2 * 24 * 3600


def _flush_seconds() -> float:
    return float(getattr(settings, "DEMAND_FLUSH_SECONDS", 10.0))


class _Buffer:
    """Counts past the threshold waiting to be added to the database, per (day, cell)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[tuple[date, str], int] = {}
        self.deadline: float | None = None

    def add(self, day: date, cell: str, count: int) -> bool:
        """Add; answer whether the buffer is due to be written."""
        with self.lock:
            key = (day, cell)
            self.pending[key] = self.pending.get(key, 0) + count
            now = time.monotonic()
            if self.deadline is None:
                self.deadline = now + _flush_seconds()
            return now >= self.deadline

    def take(self) -> dict[tuple[date, str], int]:
        with self.lock:
            pending, self.pending, self.deadline = self.pending, {}, None
            return pending

    def put_back(self, pending: dict[tuple[date, str], int]) -> None:
        with self.lock:
            for key, count in pending.items():
                self.pending[key] = self.pending.get(key, 0) + count
            if self.deadline is None and self.pending:
                self.deadline = time.monotonic() + _flush_seconds()


_buffer = _Buffer()


def _cache_count(key: str) -> int:
    backend = caches["default"]
    if backend.add(key, 1, timeout=CACHE_SECONDS):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between the two calls
        backend.add(key, 1, timeout=CACHE_SECONDS)
        return 1


class _PastThreshold:
    """The (day, cell)s this process has seen reach the threshold: a fact that never turns
    false, so later searches there skip the cache and go straight to the buffer. Days other
    than the latest are forgotten."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.cells: set[str] = set()

    def __contains__(self, key: tuple[date, str]) -> bool:
        return key[0] == self.day and key[1] in self.cells

    def add(self, day: date, cell: str) -> None:
        if day != self.day:
            if self.day is not None and day < self.day:
                return  # a late search of an earlier day: counted through the cache
            self.day, self.cells = day, set()
        self.cells.add(cell)


_past = _PastThreshold()


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def demand_search_record(*, cell: str, occurred_at: datetime) -> None:
    """The `stations.nearby_searched` receiver: count one search from `cell` (H3 res 8)."""
    day = occurred_at.astimezone(_zone()).date()
    if (day, cell) in _past:
        due = _buffer.add(day, cell, 1)
    else:
        if not h3.is_valid_cell(cell) or h3.get_resolution(cell) != DEMAND_RESOLUTION:
            return
        seen = _cache_count(f"coverage:demand:{day.isoformat()}:{cell}")
        if seen < DEMAND_MIN_COUNT:
            return
        _past.add(day, cell)
        due = _buffer.add(day, cell, DEMAND_MIN_COUNT if seen == DEMAND_MIN_COUNT else 1)
    if due:
        demand_flush()


def demand_flush() -> int:
    """Add the buffered counts to the database; answer how many (day, cell) rows were touched.
    On a database error the counts go back to the buffer for the next flush."""
    pending = _buffer.take()
    if not pending:
        return 0
    try:
        with transaction.atomic():
            for (day, cell), count in sorted(pending.items()):
                _demand_add(day=day, cell=cell, count=count)
    except Exception:
        logger.exception("demand: could not store %d cells; kept for the next flush", len(pending))
        _buffer.put_back(pending)
        return 0
    return len(pending)


def _demand_add(*, day: date, cell: str, count: int) -> None:
    updated = DemandCount.objects.filter(day=day, cell=cell).update(count=F("count") + count)
    if updated:
        return
    parent = h3.cell_to_parent(cell, PARENT_RESOLUTION)
    try:
        with transaction.atomic():
            DemandCount.objects.create(
                day=day, cell=cell, cell_r5=parent, count=max(count, DEMAND_MIN_COUNT)
            )
    except IntegrityError:  # another process created it meanwhile
        DemandCount.objects.filter(day=day, cell=cell).update(count=F("count") + count)


def demand_forget() -> None:
    """Drop this process's buffered counts and what it remembers of busy cells (for tests)."""
    _buffer.take()
    _past.__init__()


def demand_connect() -> None:
    hooks.connect(hooks.NEARBY_SEARCHED, demand_search_record)
    atexit.register(_flush_at_exit)


def _flush_at_exit() -> None:
    try:
        demand_flush()
    except Exception:  # the database may be gone at exit
        logger.warning("demand: counts not stored at exit", exc_info=True)


def demand_window(*, days: int, today: date | None = None) -> tuple[date, date]:
    """The last `days` days up to and including today (Asia/Shanghai)."""
    until = today or timezone.localdate()
    return until - timedelta(days=days - 1), until


def demand_by_cell(*, cells: set[str], since: date, until: date) -> dict[str, int]:
    """Searches per resolution-8 cell among `cells`, summed over the days from `since` to
    `until`: only stored (≥ 5 a day) cell-days count."""
    if not cells:
        return {}
    parents = sorted({h3.cell_to_parent(c, PARENT_RESOLUTION) for c in cells})
    rows = (
        DemandCount.objects.filter(cell_r5__in=parents, day__gte=since, day__lte=until)
        .values("cell")
        .annotate(total=Sum("count"))
        .values_list("cell", "total")
    )
    return {cell: int(total) for cell, total in rows if cell in cells}


def demand_per_fine_cell(*, fine_cells: list[str], counts: dict[str, int]) -> list[float]:
    """Spread each resolution-8 cell's searches evenly over its resolution-9 children among
    `fine_cells` (a region's coverage cells): the weights siting uses for `weight=demand`."""
    parents = [h3.cell_to_parent(c, DEMAND_RESOLUTION) for c in fine_cells]
    children: dict[str, int] = {}
    for parent in parents:
        children[parent] = children.get(parent, 0) + 1
    return [counts.get(p, 0) / children[p] for p in parents]


DAYS_MAX = 366


@dataclass(frozen=True)
class RegionDemand:
    region_code: str
    days: int
    since: date
    until: date
    total: int
    cells: list[tuple[str, float, float, int]]  # (h3, lat, lng, count), most first


def region_demand_cells(*, region) -> set[str]:
    """The resolution-8 parents of the region's coverage cells (its communities' resolution-9
    cells, or its own when no community has a boundary)."""
    units = list(regions_with_boundary_within(region=region, level=Level.COMMUNITY))
    if not units and region.boundary is not None:
        units = [region]
    if not units:
        raise InvalidInput(
            _("%(name)s 及其下辖社区都没有边界，无法计算覆盖。") % {"name": region.name},
            code=CoverageError.NO_BOUNDARY,
            extra={"region": region.code},
        )
    return {
        h3.cell_to_parent(cell, DEMAND_RESOLUTION)
        for unit in units
        for cell in boundary_cells(unit.boundary)
    }


def demand_of_region(*, actor, region_code: str, days: int = 30, today: date | None = None):
    """The stored searches of the region's cells over the last `days` days, for staff who may
    see the region's coverage."""
    region = coverage_region_get(actor=actor, code=region_code)
    if not 1 <= days <= DAYS_MAX:
        raise InvalidInput(
            _("天数应在 1 到 %(max)d 之间。") % {"max": DAYS_MAX},
            code=CoverageError.INVALID_PARAMETERS,
            errors=[
                field_error(
                    "days",
                    CoverageError.INVALID_PARAMETERS,
                    _("天数应在 1 到 %(max)d 之间。") % {"max": DAYS_MAX},
                )
            ],
        )
    since, until = demand_window(days=days, today=today)
    counts = demand_by_cell(cells=region_demand_cells(region=region), since=since, until=until)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    cells = []
    for cell, count in ordered:
        lat, lng = h3.cell_to_latlng(cell)
        cells.append((cell, round(lat, 6), round(lng, 6), count))
    return RegionDemand(
        region_code=region.code,
        days=days,
        since=since,
        until=until,
        total=sum(counts.values()),
        cells=cells,
    )
