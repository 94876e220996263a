"""The console's visit review page (打卡复核): the region admins above a station review the
visits the travel check held there; nobody else sees or decides them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.core.console import sections_for
from dandelion.points.models import EarningRule
from dandelion.points.selectors import balance_of
from dandelion.points.services import issuer_fund
from dandelion.stations.models import StationVisit
from dandelion.stations.review_selectors import visits_pending_review_count
from dandelion.stations.services import visit_record

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2025, 6, 1, 9, 0, tzinfo=SH)
NEAR = {"lat": 29.7280, "lng": 115.9899, "accuracy_m": 15}
QUEUE = "/console/stations/visits/review/"


def decide(visit_id: int) -> str:
    return f"/console/stations/visits/{visit_id}/review/"


@pytest.fixture
def visit_rule(world, make_user):
    admin = make_user(name="超管", is_superuser=True)
    issuer_fund(region=world.city, amount=10_000, actor=admin, source_key="fund:visits")
    return EarningRule.objects.create(
        region=world.city, event="station_visit", points=5, requires_verified=True
    )


@pytest.fixture
def held(world, visit_rule, django_capture_on_commit_callbacks):
    """甘棠骑手's verified visit at 甘棠驿站 (浔阳), then one at 十里驿站 (濂溪), 7 km away, a
    second later: held for review, for 濂溪's admins."""
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING, **NEAR)
        visit, _ = visit_record(
            user=world.worker_x,
            station=world.station_l,
            at=MORNING + timedelta(seconds=1),
            lat=world.station_l.lat,
            lng=world.station_l.lng,
        )
    assert visit.flagged and balance_of(user=world.worker_x) == 5
    return visit


def test_the_stations_admin_sees_the_held_visit_with_the_phone_masked(world, held):
    page = client_for(world.admin_l).get(QUEUE)

    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-visit="{held.pk}"' in body
    assert "十里驿站" in body and held.flag_reason[:10] in body
    assert "138****0001" in body and "13800000001" not in body
    assert 'data-action="accept"' in body and 'data-action="reject"' in body
    assert "stations_visit_review" in {s.key for s in sections_for(world.admin_l)}


def test_another_districts_admin_sees_an_empty_queue_and_cannot_decide(world, held):
    client = client_for(world.admin_x)

    page = client.get(QUEUE)
    assert page.status_code == 200 and f'data-visit="{held.pk}"' not in page.content.decode()
    assert client.post(decide(held.pk), {"decision": "accept"}).status_code == 404
    held.refresh_from_db()
    assert held.flagged and held.reviewed_at is None


@pytest.mark.parametrize("who", ["manager_l", "worker_x"])
def test_the_stations_manager_and_a_worker_may_not_review(world, held, who):
    user = getattr(world, who)
    client = client_for(user)

    assert "stations_visit_review" not in {s.key for s in sections_for(user)}
    assert client.get(QUEUE).status_code == 403
    assert client.post(decide(held.pk), {"decision": "accept"}).status_code == 403
    held.refresh_from_db()
    assert held.flagged and held.reviewed_at is None


def test_accepting_pays_the_points_once(world, held, django_capture_on_commit_callbacks):
    client = client_for(world.admin_l)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide(held.pk), {"decision": "accept", "state": "pending"})

    assert response.status_code == 302 and response["Location"].endswith(f"{QUEUE}?state=pending")
    held.refresh_from_db()
    assert not held.flagged and held.reviewed_by == world.admin_l
    assert balance_of(user=world.worker_x) == 10
    # A second decision is refused on top of the queue, and pays nothing more
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(decide(held.pk), {"decision": "reject"}, follow=True)
    assert "这条打卡不在待核查之列。" in again.content.decode()
    assert balance_of(user=world.worker_x) == 10
    accepted = client.get(QUEUE, {"state": "accepted"}).content.decode()
    assert f'data-visit="{held.pk}"' in accepted and 'data-action="accept"' not in accepted


def test_rejecting_pays_nothing(world, held, django_capture_on_commit_callbacks):
    client = client_for(world.admin_l)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(decide(held.pk), {"decision": "reject"}, follow=True)

    assert "已驳回" in page.content.decode()
    held.refresh_from_db()
    assert held.flagged and held.reviewed_by == world.admin_l
    assert balance_of(user=world.worker_x) == 5
    assert f'data-visit="{held.pk}"' not in page.content.decode()  # no longer pending
    rejected = client.get(QUEUE, {"state": "rejected"}).content.decode()
    assert f'data-visit="{held.pk}"' in rejected


def test_an_unknown_decision_is_not_a_decision(world, held):
    assert client_for(world.admin_l).post(decide(held.pk), {"decision": "x"}).status_code == 404
    held.refresh_from_db()
    assert held.reviewed_at is None


def test_the_english_page_says_it_in_english(world, held):
    client = client_for(world.admin_l)
    client.cookies["django_language"] = "en"

    body = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "打卡复核" not in body and "通过</button>" not in body


def _hold(world, make_worker, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        worker = make_worker(name=f"骑手{i}", phone=f"1371234{i:04d}")
        StationVisit.objects.create(
            user=worker,
            station=world.station_l,
            day=MORNING.date(),
            visited_at=MORNING + timedelta(minutes=i),
            city_code=world.station_l.city_code,
            flagged=True,
            flag_reason="太远",
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_queries_for_one_row_and_five(world, make_worker):
    client = client_for(world.admin_l)
    _hold(world, make_worker, 1)
    one = _queries(client)
    StationVisit.objects.all().delete()
    _hold(world, make_worker, 5, first=1)
    five = _queries(client)

    assert one == five


def test_the_filters_narrow_the_queue(world, held, make_worker):
    client = client_for(world.admin_l)

    other_day = client.get(QUEUE, {"day": "2025-06-02"}).content.decode()
    same_day = client.get(QUEUE, {"day": "2025-06-01", "station": world.station_l.pk})
    bad_day = client.get(QUEUE, {"day": "yesterday"})

    assert f'data-visit="{held.pk}"' not in other_day
    assert f'data-visit="{held.pk}"' in same_day.content.decode()
    assert bad_day.status_code == 200 and "console-field__error" in bad_day.content.decode()


def test_the_console_home_counts_the_visits_waiting(world, held):
    assert visits_pending_review_count(actor=world.admin_l) == 1
    assert visits_pending_review_count(actor=world.admin_x) == 0
    assert visits_pending_review_count(actor=world.manager_l) == 0
    assert client_for(world.admin_l).get("/console/").status_code == 200
