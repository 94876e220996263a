"""`POST /api/v1/coverage/siting` and `GET /api/v1/coverage/demand`: shapes, scopes, validation."""

from datetime import date

import h3
import numpy as np
import pytest
from django.utils import timezone

from dandelion.accounts.services.roles import role_assign
from dandelion.accounts.testing import client_for
from dandelion.coverage.models import DemandCount
from dandelion.coverage.selectors import coverage_compute
from dandelion.regions.services import region_shape_set
from dandelion.stations.services import partner_create

SITING = "/api/v1/coverage/siting"
DEMAND = "/api/v1/coverage/demand"
# A 2.4 km × 2.2 km stretch of Xunyang (浔阳区): a station in one corner leaves most of it open.
WEST, SOUTH, EAST, NORTH = 115.975, 29.710, 115.999, 29.730


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def block(jiujiang, make_station):
    make_station(lat=29.728, lng=115.977)
    return region_shape_set(
        region=jiujiang["community"], boundary=box(WEST, SOUTH, EAST, NORTH), population=20000
    )


@pytest.fixture
def staff(make_user):
    def make(role: str, region):
        user = make_user()
        role_assign(user=user, role=role, region=region)
        return user

    return make


@pytest.fixture
def admin_client(staff, jiujiang):
    return client_for(staff("region_admin", jiujiang["xunyang"]))


def post(client, **body):
    return client.post(SITING, {"region": "360403", **body}, content_type="application/json")


def test_cells_siting_answers_the_documented_shape(admin_client, block):
    response = post(admin_client, add=3)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"before", "after", "sites", "solver", "optimal", "bound", "bound_kind"}
    assert body["solver"] == "milp" and body["optimal"] is True
    assert body["candidates"] == "cells" and body["weight"] == "population"
    assert len(body["sites"]) == 3
    site = body["sites"][0]
    assert set(site) == {"lat", "lng", "source", "source_id", "name", "gain", "gain_population"}
    assert site["source"] == "cells" and h3.is_valid_cell(site["source_id"])
    gains = [s["gain"] for s in body["sites"]]
    assert gains == sorted(gains, reverse=True)
    assert body["after"]["covered_population"] > body["before"]["covered_population"]
    assert sum(gains) == pytest.approx(
        body["after"]["covered_weight"] - body["before"]["covered_weight"], abs=0.1
    )
    before = coverage_compute(region=block)
    assert body["before"]["covered_population"] == before.covered_population
    assert body["before"]["share"] == before.share
    assert body["bound"] == pytest.approx(
        body["after"]["covered_weight"] - body["before"]["covered_weight"], abs=0.1
    )


def test_the_sites_really_cover_what_they_claim(admin_client, block, make_station):
    body = post(admin_client, add=2).json()
    for site in body["sites"]:
        make_station(lat=site["lat"], lng=site["lng"])
    after = coverage_compute(region=block)
    assert after.covered_population == pytest.approx(body["after"]["covered_population"], abs=1)


def test_partners_and_communities_are_candidates(admin_client, block, jiujiang):
    partner = partner_create(
        name="合作商户",
        region=jiujiang["xunyang"],
        kind="caring_merchant",
        address="测试路2号",
        lat=29.715,
        lng=115.995,
    )
    body = post(admin_client, add=2, candidates="partners").json()
    assert [s["source_id"] for s in body["sites"]] == [str(partner.pk)]
    assert body["sites"][0]["name"] == "合作商户" and body["candidate_count"] == 1
    body = post(admin_client, add=1, candidates="communities").json()
    assert body["sites"][0]["source_id"] == block.code


def test_demand_weight_sites_where_workers_search(admin_client, block):
    cells = coverage_compute(region=block)
    open_cells = [c for c, cov in zip(cells.cell_ids, cells.cell_covered, strict=True) if not cov]
    hot = h3.cell_to_parent(open_cells[-1], 8)
    DemandCount.objects.create(
        day=timezone.localdate(), cell=hot, cell_r5=h3.cell_to_parent(hot, 5), count=40
    )
    body = post(admin_client, add=1, weight="demand").json()
    assert body["weight"] == "demand" and body["days"] == 30
    assert body["weight_total"] == pytest.approx(40)
    (site,) = body["sites"]
    assert site["gain"] > 0
    centre = np.array(h3.cell_to_latlng(hot))
    assert np.abs(np.array([site["lat"], site["lng"]]) - centre).max() < 0.02


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"add": 0}, "add"),
        ({"add": 51}, "add"),
        ({"add": 1, "candidates": "shops"}, "candidates"),
        ({"add": 1, "weight": "money"}, "weight"),
        ({"add": 1, "minutes": 0}, "minutes"),
        ({"add": 1, "mode": "car"}, "mode"),
    ],
)
def test_bad_input_is_refused_naming_the_field(admin_client, block, body, field):
    response = post(admin_client, **body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


def test_scopes(staff, block, jiujiang, make_user):
    assert post(client_for(None), add=1).status_code == 401
    assert post(client_for(make_user()), add=1).status_code == 403
    elsewhere = client_for(staff("region_admin", jiujiang["lianxi"]))
    assert post(elsewhere, add=1).status_code == 403
    assert elsewhere.get(DEMAND, {"region": "360403"}).status_code == 403
    above = client_for(staff("auditor", jiujiang["city"]))
    assert post(above, add=1).status_code == 200
    assert post(above, add=1, region="999999").status_code == 404
    assert above.get(DEMAND, {"region": "999999"}).status_code == 404


def test_demand_lists_the_regions_cells_most_first(
    admin_client, block, django_assert_max_num_queries
):
    cells = sorted({h3.cell_to_parent(c, 8) for c in h3.geo_to_cells(block.boundary, 9)})
    far = h3.latlng_to_cell(39.9, 116.4, 8)  # Beijing: not the region's
    today = timezone.localdate()
    for cell, count, day in (
        (cells[0], 5, today),
        (cells[0], 7, today.replace(day=1) if today.day > 1 else today),
        (cells[1], 30, today),
        (far, 99, today),
    ):
        DemandCount.objects.update_or_create(
            day=day,
            cell=cell,
            defaults={"cell_r5": h3.cell_to_parent(cell, 5), "count": count},
        )
    with django_assert_max_num_queries(8):
        response = admin_client.get(DEMAND, {"region": "360403", "days": 30})
    assert response.status_code == 200
    body = response.json()
    assert body["min_count"] == 5 and body["days"] == 30
    assert [c["h3"] for c in body["cells"]] == [cells[1], cells[0]]
    assert body["cells"][0]["count"] == 30
    assert body["total"] == sum(c["count"] for c in body["cells"])
    assert date.fromisoformat(body["until"]) == today


def test_demand_days_are_bounded(admin_client, block):
    assert admin_client.get(DEMAND, {"region": "360403", "days": 0}).status_code == 422
    assert admin_client.get(DEMAND, {"region": "360403", "days": 400}).status_code == 422
