"""The demo city's demand trace (issue 15): thirty days of workers' nearby searches, as the
coverage app stores them, so the siting tool's `weight=demand` and `GET /coverage/demand` have
something to show. Deterministic per seed; running it again on the same day creates nothing new.

Searches gather around the communities' centres where riders wait for orders (more of them in
the evening rush and on weekends, drawn by day), each community's day counted per H3
resolution-8 cell; a cell's day with fewer than 5 searches is not stored, as in production.
"""

import math
import random
from collections import Counter
from datetime import timedelta

import h3
from django.utils import timezone
from shapely.geometry import shape

from dandelion.coverage.models import DEMAND_MIN_COUNT, DemandCount
from dandelion.regions.models import Region

from .city import DEFAULT_SEED

DAYS = 30
CITY_PREFIX = "3604"
HOTSPOTS = 24  # communities whose riders search most


def demo_demand_load(*, seed: int = DEFAULT_SEED) -> Counter:
    rng = random.Random(f"{seed}:demand")
    counts: Counter = Counter()
    centres = []
    communities = Region.objects.filter(
        code__startswith=CITY_PREFIX, level=Region.Level.COMMUNITY
    ).order_by("code")
    for lat, lng, boundary in communities.values_list("center_lat", "center_lng", "boundary"):
        if lat is not None and lng is not None:
            centres.append((lat, lng))
        elif boundary is not None:
            point = shape(boundary).representative_point()
            centres.append((point.y, point.x))
    if not centres:
        return counts
    hotspots = rng.sample(centres, min(HOTSPOTS, len(centres)))
    weights = [rng.uniform(0.5, 3.0) for _ in hotspots]
    today = timezone.localdate()
    existing = set(
        DemandCount.objects.filter(day__gt=today - timedelta(days=DAYS)).values_list("day", "cell")
    )
    rows = []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        busy = 1.3 if day.weekday() >= 5 else 1.0
        per_cell: Counter = Counter()
        for (lat, lng), weight in zip(hotspots, weights, strict=True):
            searches = int(rng.gauss(40 * weight * busy, 8))
            for _ in range(max(0, searches)):
                # within about a kilometre of the community centre
                distance = abs(rng.gauss(0, 600))
                angle = rng.uniform(0, 2 * math.pi)
                d_lat = distance * math.cos(angle) / 111_195
                d_lng = distance * math.sin(angle) / (111_195 * math.cos(math.radians(lat)))
                per_cell[h3.latlng_to_cell(lat + d_lat, lng + d_lng, 8)] += 1
        for cell, count in sorted(per_cell.items()):
            if count < DEMAND_MIN_COUNT or (day, cell) in existing:
                continue
            rows.append(
                DemandCount(day=day, cell=cell, cell_r5=h3.cell_to_parent(cell, 5), count=count)
            )
    DemandCount.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    counts["demand cell-days"] = len(rows)
    return counts
