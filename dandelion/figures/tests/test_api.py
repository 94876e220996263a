"""GET /api/v1/figures: scoped to the caller's regions, validated, in a fixed number of
queries."""

from datetime import date

import pytest

from dandelion.accounts.testing import client_for
from dandelion.figures import services

from .history import History, local

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures"


@pytest.fixture
def history(world):
    h = History(world)
    h.report(region=world.street, at=local(date(2026, 3, 2)))
    h.report(region=world.street_l, at=local(date(2026, 3, 3)))
    h.visit(user=world.worker_x, station=world.station_x, at=local(date(2026, 3, 2)))
    services.figures_rebuild()
    return world


def test_a_district_admin_reads_their_district_and_nothing_above_or_beside(history):
    w = history
    client = client_for(w.admin_x)
    response = client.get(URL, {"region": "360403", "from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == {"code": "360403", "name": "浔阳区"}
    assert body["reports"]["submitted"] == 1
    assert body["visits"] == {"count": 1, "workers": 1}
    assert [row["region"]["code"] for row in body["by_region"]] == ["360403001"]
    for other in ("360402", "360400", "360402001", "999999"):
        refused = client.get(URL, {"region": other, "from": "2026-03-01", "to": "2026-03-31"})
        assert refused.status_code == 404, other
        assert refused["Content-Type"] == "application/problem+json"


def test_without_a_region_the_caller_gets_their_own(history):
    body = client_for(history.admin_l).get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert body["region"]["code"] == "360402"
    assert body["reports"]["submitted"] == 1


def test_auditors_read_workers_and_other_staff_are_refused(history):
    w = history
    assert client_for(w.auditor_x).get(URL, {"region": "360403001"}).status_code == 200
    for user in (w.worker_x, w.dispatcher_x, w.manager_x):
        assert client_for(user).get(URL, {"region": "360403"}).status_code == 403
    assert client_for(None).get(URL).status_code == 401


def test_the_period_is_checked(history):
    client = client_for(history.admin_x)
    backwards = client.get(URL, {"region": "360403", "from": "2026-03-02", "to": "2026-03-01"})
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "from"
    too_long = client.get(URL, {"region": "360403", "from": "2000-01-01", "to": "2026-03-01"})
    assert too_long.status_code == 422
    assert client.get(URL, {"region": "360403", "from": "2026-13-01"}).status_code == 422
    assert client.get(URL, {"region": "36x"}).status_code == 422


def test_defaults_to_this_month_so_far(history):
    body = client_for(history.admin_x).get(URL, {"region": "360403"}).json()
    assert body["date_from"].endswith("-01")
    assert len(body["series"]) == 1


def test_query_count_does_not_grow_with_the_history(history, django_assert_max_num_queries):
    client = client_for(history.admin_x)
    params = {"region": "360403", "from": "2025-01-01", "to": "2026-12-31"}
    with django_assert_max_num_queries(11):
        assert client.get(URL, params).status_code == 200
    h = History(history)
    for day in range(1, 28):
        h.report(region=history.community, at=local(date(2026, 2, day)))
        h.need(worker=history.worker_x, region=history.street, at=local(date(2025, 5, day)))
    services.figures_rebuild()
    with django_assert_max_num_queries(11):
        body = client.get(URL, params).json()
    assert body["reports"]["submitted"] == 28
    assert len(body["series"]) == 24
