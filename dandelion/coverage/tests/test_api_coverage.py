"""`GET /api/v1/coverage`: shape, scopes, validation, query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dandelion.accounts.services.roles import role_assign
from dandelion.accounts.testing import client_for
from dandelion.regions.services import region_shape_set

URL = "/api/v1/coverage"


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def block(jiujiang):
    return region_shape_set(
        region=jiujiang["community"],
        boundary=box(115.985, 29.720, 115.997, 29.730),
        population=4000,
    )


@pytest.fixture
def staff(make_user, jiujiang):
    def make(role: str, region):
        user = make_user()
        role_assign(user=user, role=role, region=region)
        return user

    return make


@pytest.mark.parametrize("role", ["region_admin", "dispatcher", "auditor"])
def test_region_staff_get_the_coverage_of_their_region(role, staff, block, jiujiang, make_station):
    make_station(lat=29.725, lng=115.990)
    client = client_for(staff(role, jiujiang["xunyang"]))

    response = client.get(URL, {"region": block.code})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "region", "mode", "minutes", "reach_m", "at", "totals", "communities", "gaps"
    }  # fmt: skip
    assert body["region"] == block.code and body["mode"] == "walk" and body["reach_m"] == 865.4
    assert body["totals"]["population"] == 4000
    (community,) = body["communities"]
    assert set(community) == {
        "code", "name", "population", "covered_population", "share", "cells", "covered_cells",
        "nearest_m_p50", "nearest_m_p90",
    }  # fmt: skip
    gaps = body["gaps"]
    assert gaps["type"] == "FeatureCollection"
    assert len(gaps["features"]) == community["cells"] - community["covered_cells"]
    for feature in gaps["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and 115.9 < ring[0][0] < 116.1  # [lng, lat]
        assert set(feature["properties"]) >= {"h3"}


def test_outside_their_region_staff_are_refused(staff, block, jiujiang):
    client = client_for(staff("region_admin", jiujiang["lianxi"]))
    assert client.get(URL, {"region": block.code}).status_code == 403


def test_workers_and_anonymous_callers_are_refused(make_user, block):
    assert client_for(make_user()).get(URL, {"region": block.code}).status_code == 403
    assert client_for(None).get(URL, {"region": block.code}).status_code == 401


def test_a_department_handler_is_refused(staff, block, jiujiang):
    from dandelion.orgs.models import Organisation

    org = Organisation.objects.create(name="某单位", region=jiujiang["xunyang"])
    user = staff("region_admin", jiujiang["lianxi"])
    role_assign(user=user, role="department_handler", organisation=org)
    assert client_for(user).get(URL, {"region": block.code}).status_code == 403


def test_unknown_region_and_bad_parameters(staff, block, jiujiang):
    client = client_for(staff("region_admin", jiujiang["city"]))
    assert client.get(URL, {"region": "369999"}).status_code == 404
    for params in (
        {"mode": "swim"},
        {"minutes": "0"},
        {"minutes": "500"},
        {"at": "yesterday"},
        {"at": "2020-01-01T10:00:00"},
        {"amenity": "teleporter"},
    ):
        response = client.get(URL, {"region": block.code, **params})
        assert response.status_code == 422, params
        assert response["Content-Type"].startswith("application/problem+json")
    no_shape = client.get(URL, {"region": jiujiang["lianxi"].code})
    assert no_shape.status_code == 422 and no_shape.json()["code"] == "no_boundary"


def test_at_and_ebike(staff, block, jiujiang, make_station):
    make_station(lat=29.725, lng=115.990)
    client = client_for(staff("auditor", jiujiang["city"]))
    at = timezone.localtime().replace(microsecond=0) + timedelta(hours=1)

    body = client.get(
        URL,
        {
            "region": jiujiang["xunyang"].code,
            "mode": "ebike",
            "at": at.replace(tzinfo=None).isoformat(),
        },
    ).json()

    assert body["reach_m"] == 2884.6 and body["at"].startswith(at.isoformat()[:19])
    assert body["totals"]["share"] == 1.0 and body["gaps"]["features"] == []


def test_query_count(staff, block, jiujiang, make_station, django_assert_max_num_queries):
    make_station(lat=29.725, lng=115.990)
    client = client_for(staff("region_admin", jiujiang["city"]))
    client.get(URL, {"region": block.code})  # the nearby index is built
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"region": jiujiang["xunyang"].code}).status_code == 200
