"""Open data: the public API and page publish a region's figures for a month that has ended,
withhold small people-counts of a community, and offer each table as CSV."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dandelion.accounts.testing import client_for
from dandelion.figures import services

from .history import History, local

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 4, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
API = "/api/v1/open-data/figures"
PAGE = "/open-data/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def history(world):
    h = History(world)
    for day in (date(2026, 3, 10), date(2026, 3, 11)):
        h.visit(user=world.worker_x, station=world.station_x, at=local(day))
    h.report(region=world.community, at=local(date(2026, 3, 5)))
    services.figures_rebuild()
    return h


def _figures(body) -> dict:
    return {f["key"]: f for f in body["figures"]}


def test_a_community_withholds_its_small_people_counts(world, history):
    response = client_for(None).get(API, {"region": "360403001001", "month": "2026-03"})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "community" and body["suppress_below"] == 5
    figures = _figures(body)
    assert figures["reports.submitted"]["value"] == 1
    assert figures["workers.registered"] == {
        "key": "workers.registered",
        "label": "累计报到人数",
        "value": None,
        "suppressed": True,
    }


def test_a_street_publishes_its_counts_and_withholds_its_communities(world, history):
    body = client_for(None).get(API, {"region": "360403001", "month": "2026-03"}).json()
    figures = _figures(body)
    assert figures["reports.submitted"]["value"] == 1
    assert figures["workers.registered"]["value"] == 0  # a street is not a community
    assert not figures["workers.registered"]["suppressed"]
    community = body["by_region"][0]
    assert community["region"]["code"] == "360403001001"
    headline = {f["key"]: f for f in community["figures"]}
    assert headline["workers_registered"]["suppressed"]
    assert headline["reports_submitted"]["value"] == 1


def test_only_months_that_have_ended(world, history):
    client = client_for(None)
    response = client.get(API, {"region": "360403", "month": "2026-04"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "month"
    assert client.get(API, {"region": "360403", "month": "2026-13"}).status_code == 422
    assert client.get(API, {"region": "360403", "month": "0000-01"}).status_code == 422
    assert client.get(API, {"region": "360403", "month": "2015-12"}).status_code == 422
    assert client.get(API, {"region": "360403", "month": "2016-01"}).status_code == 200
    assert client.get(API, {"region": "360403"}).json()["month"] == "2026-03"
    assert client.get(API, {"region": "999999"}).status_code == 404
    assert client.get(API).json()["region"]["code"] == "360000"


def test_the_page_and_its_csv(world, history):
    client = client_for(None)
    page = client.get(PAGE, {"region": "360403001001", "month": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="workers.registered" class="open-data__suppressed"' in html
    assert "少于 5 人，不公开" in html

    response = client.get(PAGE + "figures.csv", {"region": "360403001001", "month": "2026-03"})
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    rows = {r[0]: r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["累计报到人数"][1:] == ["", "少于 5 人，不公开"]
    assert rows["随手拍提交"][1] == "1"
    assert client.get(PAGE + "nope.csv").status_code == 404


def test_the_page_keeps_a_bad_month_and_says_why(world, history):
    page = client_for(None).get(PAGE, {"region": "360403", "month": "2026-04"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="2026-04"' in html and "只公开已经结束的月份的数据" in html
    assert client_for(None).get(PAGE, {"region": "999999"}).status_code == 404


def test_the_page_drills_down(world, history):
    page = client_for(None).get(PAGE, {"region": "360403", "month": "2026-03"})
    assert "?region=360403001&amp;month=2026-03" in page.content.decode()
    body = client_for(None).get(API, {"region": "360403", "month": "2026-03"}).json()
    assert _figures(body)["visits.count"]["value"] == 2
    assert _figures(body)["visits.workers"]["value"] == 1


def test_query_counts(world, history, django_assert_max_num_queries):
    client = client_for(None)
    with django_assert_max_num_queries(14):
        assert client.get(API, {"region": "360403", "month": "2026-03"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(PAGE, {"region": "360403", "month": "2026-03"}).status_code == 200
