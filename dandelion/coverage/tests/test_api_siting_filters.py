"""`POST /api/v1/coverage/siting` with `at`, `amenity` and `include_partners`: siting starts
from exactly the cells `GET /api/v1/coverage` reports covered for the same inputs."""

from datetime import datetime, time

import h3
import pytest
from django.utils import timezone

from dandelion.accounts.services.roles import role_assign
from dandelion.accounts.testing import client_for
from dandelion.core.geo import haversine_m
from dandelion.coverage.siting_selectors import siting_suggest
from dandelion.regions.models import PopulationCell
from dandelion.regions.services import region_shape_set
from dandelion.stations.services import partner_create

SITING = "/api/v1/coverage/siting"
COVERAGE = "/api/v1/coverage"
REACH_M = 75 * 15 / 1.3  # 15 minutes' walk
# A 2.4 km × 2.2 km stretch of Xunyang (浔阳区).
WEST, SOUTH, EAST, NORTH = 115.975, 29.710, 115.999, 29.730
BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
DAYTIME = [(d, time(8), time(20)) for d in range(7)]  # open 08:00–20:00 every day
# The dense quarter: a cell and the two rings around it (all within 682 m of its centre, so
# only a site at the centre cell reaches all 19); the sparse cell lies 1.5 km east.
DENSE = h3.latlng_to_cell(29.720, 115.982, 9)
SPARSE = h3.latlng_to_cell(29.715, 115.996, 9)


def today_at(hhmm: str) -> str:
    """Local time (Asia/Shanghai) today, as the API takes it without an offset."""
    return f"{timezone.localdate().isoformat()}T{hhmm}:00"


def centre(cell: str) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)


@pytest.fixture
def admin_client(make_user, jiujiang):
    user = make_user()
    role_assign(user=user, role="region_admin", region=jiujiang["xunyang"])
    return client_for(user)


@pytest.fixture
def block(jiujiang):
    return region_shape_set(region=jiujiang["community"], boundary=BOUNDARY, population=20000)


@pytest.fixture
def dense_quarter(block, make_station):
    """200 people in each of the dense quarter's 19 cells, 500 in the sparse cell, nobody else;
    a daytime-only station in the dense quarter's centre cell."""
    for cell in h3.grid_disk(DENSE, 2):
        PopulationCell.objects.create(h3=cell, people=200, city_code="360400")
    PopulationCell.objects.create(h3=SPARSE, people=500, city_code="360400")
    lat, lng = centre(DENSE)
    make_station(lat=lat, lng=lng, hours=DAYTIME)
    return block


def post(client, **body):
    return client.post(SITING, {"region": "360403", **body}, content_type="application/json")


def test_a_night_time_at_moves_the_site_to_the_cell_a_daytime_station_covers_by_day(
    admin_client, dense_quarter
):
    noon = post(admin_client, add=1, at=today_at("12:00"))
    night = post(admin_client, add=1, at=today_at("22:00"))

    assert noon.status_code == 200, noon.content
    assert night.status_code == 200, night.content
    (by_day,) = noon.json()["sites"]
    (by_night,) = night.json()["sites"]
    # At noon the station covers the dense quarter: the site goes to the sparse cell.
    assert by_day["source_id"] != DENSE
    assert haversine_m(by_day["lat"], by_day["lng"], *centre(SPARSE)) <= REACH_M
    assert noon.json()["before"]["covered_population"] == 19 * 200
    # At 22:00 the station is closed: the dense quarter's own cell is the best site.
    assert by_night["source_id"] == DENSE and by_night["gain"] == 19 * 200
    assert night.json()["before"]["covered_population"] == 0
    assert night.json()["at"].startswith(today_at("22:00") + "+08:00")


def test_without_at_every_station_counts_whatever_its_hours(admin_client, dense_quarter):
    body = post(admin_client, add=1).json()
    assert body["at"] is None and body["before"]["covered_population"] == 19 * 200
    assert body["sites"][0]["source_id"] != DENSE


@pytest.fixture
def network(block, jiujiang, make_station):
    """A daytime battery-swap station in the west, a 24-hour station in the north-east, a
    partner place in the south-east: each filter changes what is covered."""
    lat, lng = centre(DENSE)
    make_station(lat=lat, lng=lng, hours=DAYTIME, amenities=["battery_swap"])
    make_station(lat=29.727, lng=115.995)
    partner_create(
        name="合作商户",
        region=jiujiang["xunyang"],
        kind="caring_merchant",
        address="测试路2号",
        lat=29.712,
        lng=115.990,
    )
    return block


INPUTS = [
    {},
    {"at": "22:00"},
    {"at": "12:00"},
    {"amenity": "battery_swap"},
    {"include_partners": True},
    {"at": "22:00", "amenity": "battery_swap"},
    {"at": "12:00", "amenity": "battery_swap", "include_partners": True},
    {"at": "03:00", "include_partners": True},
]


def with_moment(inputs: dict) -> dict:
    return {**inputs, "at": today_at(inputs["at"])} if "at" in inputs else inputs


def test_the_baseline_is_coverage_for_the_same_inputs(admin_client, network):
    covered = []
    for inputs in INPUTS:
        params = with_moment(inputs)
        query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        coverage = admin_client.get(COVERAGE, {"region": "360403", **query})
        siting = post(admin_client, add=1, **params)
        assert coverage.status_code == 200 and siting.status_code == 200, inputs

        totals, before = coverage.json()["totals"], siting.json()["before"]
        assert before["covered_population"] == totals["covered_population"], inputs
        assert before["share"] == totals["share"], inputs
        body = siting.json()
        assert body["amenity"] == inputs.get("amenity")
        assert body["include_partners"] is inputs.get("include_partners", False)
        covered.append(totals["covered_population"])
    assert len(set(covered)) >= 4  # the inputs matter: ignoring one would be caught


@pytest.mark.parametrize("inputs", INPUTS[1:], ids=lambda i: "-".join(map(str, i.values())))
def test_the_cells_counted_covered_are_the_cells_coverage_reports_covered(
    admin_client, network, make_user, jiujiang, inputs
):
    params = with_moment(inputs)
    query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
    gaps = admin_client.get(COVERAGE, {"region": "360403", **query}).json()["gaps"]
    user = make_user()
    role_assign(user=user, role="region_admin", region=jiujiang["xunyang"])

    if "at" in params:  # the selector takes a moment; a naive one is local time, as in the API
        params["at"] = datetime.fromisoformat(params["at"])
    siting = siting_suggest(actor=user, region_code="360403", add=1, **params)

    baseline = siting.coverage
    open_cells = {
        c for c, cov in zip(baseline.cell_ids, baseline.cell_covered, strict=True) if not cov
    }
    assert open_cells == {f["properties"]["h3"] for f in gaps["features"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"at": "yesterday"}, "at"),
        ({"at": "2020-01-01T10:00:00"}, "at"),
        ({"at": "2099-01-01T10:00:00+08:00"}, "at"),
        ({"amenity": "teleporter"}, "amenity"),
        ({"amenity": "x" * 51}, "amenity"),
        ({"include_partners": "perhaps"}, "include_partners"),
    ],
)
def test_bad_at_and_unknown_amenity_are_refused_naming_the_field(admin_client, block, body, field):
    response = post(admin_client, add=1, **body)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert field in {e["field"] for e in errors}
    assert all(e["loc"][0] == "body" for e in errors)  # where it sits: the body, not the query
