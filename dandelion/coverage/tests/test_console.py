"""The coverage console pages: map with siting, community table, exports, refusals."""

import io

import pytest
from openpyxl import load_workbook

from dandelion.accounts.services.roles import role_assign
from dandelion.regions.services import region_shape_set, region_upsert

MAP = "/console/coverage/"
TABLE = "/console/coverage/communities/"
SITING_XLSX = "/console/coverage/siting.xlsx"


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def communities(jiujiang, make_station):
    """Three communities side by side in 甘棠街道, a station near the first one."""
    make_station(lat=29.725, lng=115.980)
    made = [
        region_shape_set(
            region=jiujiang["community"],
            boundary=box(115.975, 29.720, 115.985, 29.730),
            population=3000,
        )
    ]
    for n, west in enumerate((115.985, 115.995), start=2):
        community = region_upsert(
            code=f"36040300100{n}", name=f"测试社区{n}", parent=jiujiang["street"]
        )
        made.append(
            region_shape_set(
                region=community,
                boundary=box(west, 29.720, west + 0.01, 29.730),
                population=1000 * n,
            )
        )
    return made


@pytest.fixture
def admin(client, make_user, jiujiang):
    user = make_user()
    role_assign(user=user, role="region_admin", region=jiujiang["xunyang"])
    client.force_login(user)
    return client


def test_the_map_shows_the_coverage_and_runs_a_siting(
    admin, communities, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):  # 12 build the nearby index
        response = admin.get(MAP, {"region": "360403", "add": 2, "candidates": "cells"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="coverage-summary"' in page and 'id="siting-sites"' in page
    config = response.context["map_config"]
    assert len(config["communities"]["features"]) == 3
    assert config["gaps"]["features"] and len(config["sites"]) == 2
    assert config["stations"] == [[29.725, 115.98, config["stations"][0][2]]]


def test_the_map_open_at_an_hour_and_its_bad_values(admin, communities):
    response = admin.get(MAP, {"region": "360403", "at_hour": 3})
    assert response.status_code == 200 and response.context["coverage"].at is not None
    response = admin.get(MAP, {"region": "360403", "minutes": 0})
    assert response.status_code == 200 and response.context["coverage"] is None
    assert response.context["form"].errors["minutes"]


def test_a_region_without_boundaries_says_so_on_the_page(admin, jiujiang):
    response = admin.get(MAP, {"region": "360403"})
    assert response.status_code == 200
    assert 'data-testid="coverage-error"' in response.content.decode()


def test_the_community_table_sorts_pages_and_exports(
    admin, communities, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):  # 12 build the nearby index
        response = admin.get(TABLE, {"region": "360403", "sort": "-uncovered"})
    assert response.status_code == 200
    rows = response.context["rows"]
    uncovered = [r["uncovered"] for r in rows]
    assert uncovered == sorted(uncovered, reverse=True) and len(rows) == 3
    shares = [
        r["share"] for r in admin.get(TABLE, {"region": "360403", "sort": "share"}).context["rows"]
    ]
    assert shares == sorted(shares)
    export = admin.get(TABLE, {"region": "360403", "sort": "share", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = list(sheet.values)
    assert len(values) == 4 and values[0][0] == "区划代码"


def test_the_siting_export(admin, communities):
    response = admin.get(SITING_XLSX, {"region": "360403", "add": 2, "mode": "walk", "minutes": 15})
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(values) == 3 and values[1][0] == 1
    assert admin.get(SITING_XLSX, {"region": "360403"}).status_code == 404


def test_refusals(client, make_user, make_worker, jiujiang, communities):
    assert client.get(MAP).status_code == 302  # to the console's sign-in
    client.force_login(make_worker())
    assert client.get(MAP).status_code == 403
    other = make_user()
    role_assign(user=other, role="region_admin", region=jiujiang["lianxi"])
    client.force_login(other)
    response = client.get(MAP, {"region": "360403"})
    assert response.status_code == 200  # Xunyang is not among their regions: the field says so
    assert response.context["form"].errors["region"]
    assert client.get(SITING_XLSX, {"region": "360403", "add": 1}).status_code == 404


def test_the_pages_speak_english(admin, communities):
    page = admin.get(
        MAP, {"region": "360403", "add": 1}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    for words in (
        "Service circle coverage",
        "Siting suggestions",
        "Suggest sites",
        "Export to Excel",
        "Existing stations open at",
        "Existing stations must have",
        "Any amenities",
        "Coverage counts every station in operation",
    ):
        assert words in page
    assert "选址建议" not in page
    table = admin.get(TABLE, {"region": "360403"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "People not covered" in table and "Community table" in table


def test_a_demand_siting_draws_the_searches(admin, communities):
    import h3
    from django.utils import timezone

    from dandelion.coverage.models import DemandCount

    cell = h3.latlng_to_cell(29.725, 116.0, 8)
    DemandCount.objects.create(
        day=timezone.localdate(), cell=cell, cell_r5=h3.cell_to_parent(cell, 5), count=12
    )
    response = admin.get(MAP, {"region": "360403", "add": 1, "weight": "demand"})
    config = response.context["map_config"]
    assert [d["count"] for d in config["demand"]] == [12]
    assert config["demand"][0]["geometry"]["type"] == "Polygon"
    assert len(config["sites"]) == 1
    plain = admin.get(MAP, {"region": "360403", "add": 1}).context["map_config"]
    assert plain["demand"] == []


def test_the_siting_tool_counts_only_stations_open_at_a_time_with_an_amenity(
    admin, communities, make_station
):
    from datetime import time

    from django.utils import timezone

    # A daytime battery-swap station in the third community; the fixture's station is 24-hour.
    make_station(
        lat=29.725,
        lng=116.0,
        amenities=["battery_swap"],
        hours=[(d, time(8), time(20)) for d in range(7)],
    )
    every = admin.get(MAP, {"region": "360403", "add": 1}).context["siting"]
    assert every.at is None and every.amenity is None

    by_day = admin.get(
        MAP, {"region": "360403", "add": 1, "at": "12:00", "amenity": "battery_swap"}
    ).context["siting"]
    response = admin.get(
        MAP, {"region": "360403", "add": 1, "at": "22:00", "amenity": "battery_swap"}
    )

    assert response.status_code == 200
    siting = response.context["siting"]
    assert timezone.localtime(siting.at).strftime("%H:%M") == "22:00"
    assert timezone.localtime(siting.at).date() == timezone.localdate()
    assert siting.amenity == "battery_swap"
    # No battery-swap station is open at 22:00: nothing is covered yet; at noon one is.
    assert siting.before.covered_population == 0
    assert 0 < by_day.before.covered_population < every.before.covered_population
    # The map shows what the siting started from, and only the stations that count.
    assert response.context["coverage"] is siting.coverage
    assert response.context["map_config"]["stations"] == []
    assert (
        len(admin.get(MAP, {"region": "360403", "add": 1}).context["map_config"]["stations"]) == 2
    )
    page = response.content.decode()
    assert 'name="at" value="22:00"' in page
    assert '<option value="battery_swap" selected>' in page
    assert "已覆盖按今天 22:00 开放且有「电动车换电」的驿站计算" in page
    assert "at=22%3A00&amp;amenity=battery_swap" in page  # the export asks the same
    export = admin.get(
        SITING_XLSX, {"region": "360403", "add": 1, "at": "22:00", "amenity": "battery_swap"}
    )
    assert export.status_code == 200


def test_the_siting_tool_keeps_bad_input_beside_its_fields(admin, communities):
    response = admin.get(
        MAP, {"region": "360403", "add": 2, "at": "25:99", "amenity": "battery_swap"}
    )
    assert response.status_code == 200 and response.context["siting"] is None
    assert response.context["siting_form"].errors["at"]
    assert response.context["coverage"] is not None  # the map still shows the coverage
    page = response.content.decode()
    assert 'name="at" value="25:99"' in page and 'value="2"' in page
    assert '<option value="battery_swap" selected>' in page

    response = admin.get(
        MAP, {"region": "360403", "add": 2, "at": "22:00", "amenity": "teleporter"}
    )
    assert response.context["siting"] is None
    assert response.context["siting_form"].errors["amenity"]
    assert 'name="at" value="22:00"' in response.content.decode()


def test_the_siting_time_starts_at_the_maps_hour(admin, communities):
    page = admin.get(MAP, {"region": "360403", "at_hour": 3}).content.decode()
    assert 'name="at" value="03:00"' in page
    assert '<input type="hidden" name="at_hour" value="3">' in page
    page = admin.get(MAP, {"region": "360403"}).content.decode()
    assert 'type="time" name="at"' in page and 'name="at" value=' not in page
