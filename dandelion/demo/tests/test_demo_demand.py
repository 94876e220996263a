"""The demo's demand trace: stored as production stores it (≥ 5 a cell-day), and once."""

import pytest

from dandelion.coverage.models import DEMAND_MIN_COUNT, DemandCount
from dandelion.demo.demo_demand import demo_demand_load
from dandelion.regions.services import region_shape_set, region_upsert


@pytest.mark.django_db
def test_demand_is_k_anonymous_deterministic_and_loaded_once(jiujiang):
    region_upsert(
        code="360403001002",
        name="带中心的社区",
        parent=jiujiang["street"],
        center_lat=29.72,
        center_lng=115.99,
    )
    ring = [[116.0, 29.70], [116.01, 29.70], [116.01, 29.71], [116.0, 29.71], [116.0, 29.70]]
    region_shape_set(
        region=jiujiang["community"], boundary={"type": "Polygon", "coordinates": [ring]}
    )
    first = demo_demand_load(seed=7)
    rows = list(DemandCount.objects.order_by("day", "cell").values_list("day", "cell", "count"))
    assert first["demand cell-days"] == len(rows) > 0
    assert min(count for _day, _cell, count in rows) >= DEMAND_MIN_COUNT
    assert demo_demand_load(seed=7)["demand cell-days"] == 0
    assert (
        list(DemandCount.objects.order_by("day", "cell").values_list("day", "cell", "count"))
        == rows
    )
