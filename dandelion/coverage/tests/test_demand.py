"""The demand trace: a daily count per H3 resolution-8 cell, stored only from the 5th search."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import h3
import pytest
from django.core.cache import cache

from dandelion.core import hooks
from dandelion.coverage import demand
from dandelion.coverage.models import DemandCount

SHANGHAI = ZoneInfo("Asia/Shanghai")
POINT = {"lat": 29.7275, "lng": 115.9899}
CELL = h3.latlng_to_cell(POINT["lat"], POINT["lng"], 8)


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.DEMAND_FLUSH_SECONDS = 0  # write at once, so each test sees its counts
    cache.clear()
    demand.demand_forget()
    yield
    cache.clear()
    demand.demand_forget()


def search(client, **point):
    response = client.get("/api/v1/stations/nearby", {**POINT, **point})
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_four_searches_leave_nothing_the_fifth_stores_the_cell(client, make_station):
    make_station()
    for _ in range(4):
        search(client)
    demand.demand_flush()
    assert not DemandCount.objects.exists()
    search(client)
    row = DemandCount.objects.get()
    assert (row.cell, row.count, row.day) == (CELL, 5, datetime.now(SHANGHAI).date())
    assert row.cell_r5 == h3.cell_to_parent(CELL, 5)
    search(client)
    search(client, lat=POINT["lat"] + 0.0001)  # the same cell: counted, the point forgotten
    row.refresh_from_db()
    assert row.count == 7


@pytest.mark.django_db
def test_no_coordinate_or_person_is_stored(client, make_station, make_user):
    make_station()
    client.force_login(make_user())
    for _ in range(6):
        search(client)
    fields = {f.name for f in DemandCount._meta.get_fields()}
    assert fields == {"id", "day", "cell", "cell_r5", "count"}
    stored = DemandCount.objects.values()[0]
    assert str(POINT["lat"]) not in str(stored) and str(POINT["lng"]) not in str(stored)


@pytest.mark.django_db
def test_days_are_counted_apart_on_the_searches_own_time():
    late = datetime(2026, 3, 1, 23, 59, tzinfo=SHANGHAI)
    for minute in range(4):
        demand.demand_search_record(cell=CELL, occurred_at=late - timedelta(minutes=minute))
    for minute in range(1, 5):  # after midnight in Shanghai: a new day, a new count
        demand.demand_search_record(cell=CELL, occurred_at=late + timedelta(minutes=minute))
    demand.demand_flush()
    assert not DemandCount.objects.exists()
    demand.demand_search_record(cell=CELL, occurred_at=late)
    assert list(DemandCount.objects.values_list("day", "count")) == [(late.date(), 5)]


@pytest.mark.django_db
def test_counts_past_the_fifth_wait_in_the_buffer_until_due(settings):
    settings.DEMAND_FLUSH_SECONDS = 3600
    at = datetime(2026, 3, 1, 12, tzinfo=SHANGHAI)
    for _ in range(7):
        demand.demand_search_record(cell=CELL, occurred_at=at)
    assert not DemandCount.objects.exists()
    assert demand.demand_flush() == 1
    assert DemandCount.objects.get().count == 7


@pytest.mark.django_db
def test_a_busy_cell_skips_the_cache_after_its_fifth_search():
    at = datetime(2026, 3, 1, 12, tzinfo=SHANGHAI)
    for _ in range(5):
        demand.demand_search_record(cell=CELL, occurred_at=at)
    cache.clear()  # the counter is gone: the process still knows the cell is past 5 today
    demand.demand_search_record(cell=CELL, occurred_at=at)
    assert DemandCount.objects.get().count == 6
    tomorrow = at + timedelta(days=1)
    for _ in range(4):  # a new day starts from nothing
        demand.demand_search_record(cell=CELL, occurred_at=tomorrow)
    assert DemandCount.objects.count() == 1


@pytest.mark.django_db
def test_not_a_resolution_8_cell_is_ignored():
    at = datetime(2026, 3, 1, 12, tzinfo=SHANGHAI)
    for cell in ("nonsense", h3.latlng_to_cell(29.7, 116.0, 9)):
        for _ in range(6):
            demand.demand_search_record(cell=cell, occurred_at=at)
    demand.demand_flush()
    assert not DemandCount.objects.exists()


@pytest.mark.django_db
def test_a_failing_receiver_never_fails_the_search(client, make_station):
    make_station()

    def broken(**kwargs):
        raise RuntimeError("boom")

    hooks.connect(hooks.NEARBY_SEARCHED, broken)
    try:
        search(client)
    finally:
        hooks.disconnect(hooks.NEARBY_SEARCHED, broken)


@pytest.mark.django_db
def test_demand_by_cell_sums_the_window_and_keeps_to_the_cells():
    other = h3.latlng_to_cell(29.60, 116.10, 8)
    for day, cell, count in (
        ("2026-03-01", CELL, 5),
        ("2026-03-02", CELL, 9),
        ("2026-01-15", CELL, 50),  # outside the window
        ("2026-03-02", other, 6),  # not asked for
    ):
        DemandCount.objects.create(
            day=day, cell=cell, cell_r5=h3.cell_to_parent(cell, 5), count=count
        )
    since, until = demand.demand_window(days=30, today=datetime(2026, 3, 2).date())
    assert demand.demand_by_cell(cells={CELL}, since=since, until=until) == {CELL: 14}


def test_demand_is_spread_over_the_fine_cells_below_it():
    children = sorted(h3.cell_to_children(CELL, 9))[:4]
    weights = demand.demand_per_fine_cell(fine_cells=children, counts={CELL: 8})
    assert weights == [2.0, 2.0, 2.0, 2.0]
