"""The standards API: the standard in force, the star distribution, assessments by role."""

import json

import pytest

from dandelion.accounts.testing import client_for
from dandelion.standards import services
from dandelion.stations.services import station_stars_set

from .conftest import photo
from .test_workflow import review_all, self_assess

API = "/api/v1"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_standard_in_force_is_public(sw, client):
    response = client.get(f"{API}/standards/current", {"region": "360403001"})
    assert response.status_code == 200
    body = response.json()
    assert body["region"] is None and body["version"] == 1
    assert len(body["groups"]) == 8
    assert sum(len(g["indicators"]) for g in body["groups"]) == 22
    assert [lv["min_points"] for lv in body["levels"]] == [60, 70, 80, 88, 95]
    assert body["levels"][4]["required_amenities"] == ["aed"]
    assert {v["kind"] for v in body["vetoes"]} == {"unfixed_complaint", "missed_opening"}
    assert client.get(f"{API}/standards/current", {"region": "999999"}).status_code == 404


def test_the_star_distribution_counts_the_subtree_and_children(sw, client):
    station_stars_set(station=sw.station, stars=5, valid_until=None, reason="t")
    station_stars_set(station=sw.station_l, stars=3, valid_until=None, reason="t")
    body = client.get(f"{API}/stars/distribution", {"region": "360400"}).json()
    assert body["counts"] == [1, 0, 0, 1, 0, 1] and body["total"] == 3
    children = {c["code"]: c["counts"] for c in body["children"]}
    assert children["360403"] == [1, 0, 0, 0, 0, 1]
    assert children["360402"] == [0, 0, 0, 1, 0, 0]
    assert client.get(f"{API}/stars/distribution").status_code == 422
    assert client.get(f"{API}/stars/distribution", {"region": "999999"}).status_code == 404


def test_the_whole_path_through_the_api(sw):
    manager, reviewer, admin = (client_for(u) for u in (sw.manager, sw.street_reviewer, sw.admin))
    response = post(manager, f"{API}/standards/assessments", {"station_id": sw.station.pk})
    assert response.status_code == 201
    a = response.json()
    assert a["state"] == "draft" and a["actions"] == ["submit"]
    assert len(a["scores"]) == 22
    url = f"{API}/standards/assessments/{a['id']}"

    response = post(manager, f"{url}/self-scores", {"scores": {"A2": {"points": 9}}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scores.A2.points"
    response = post(manager, f"{url}/transitions", {"action": "submit"})
    assert response.status_code == 422
    response = manager.post(f"{url}/evidence", {"indicator": "A2", "photo": photo()})
    assert response.status_code == 201
    a2 = next(s for s in response.json()["scores"] if s["code"] == "A2")
    assert len(a2["evidence"]) == 1

    from dandelion.standards.models import Assessment

    assessment = Assessment.objects.get(pk=a["id"])
    self_assess(sw, assessment)
    assert post(manager, f"{url}/transitions", {"action": "submit"}).status_code == 200
    # the manager may not review; the reviewer reviews
    assert post(manager, f"{url}/transitions", {"action": "review"}).status_code == 403
    review_all(sw, assessment)
    response = post(reviewer, f"{url}/transitions", {"action": "review", "note": "ok"})
    assert response.status_code == 200 and response.json()["state"] == "reviewed"
    response = post(admin, f"{url}/transitions", {"action": "approve"})
    body = response.json()
    assert body["state"] == "approved" and body["station"]["stars"] == body["stars"]
    response = post(admin, f"{url}/transitions", {"action": "approve"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["state"] == "approved"


def test_outside_the_scope_an_assessment_does_not_exist(sw):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    url = f"{API}/standards/assessments/{opened.pk}"
    assert client_for(sw.lianxi_reviewer).get(url).status_code == 404
    assert client_for(sw.manager_2).get(url).status_code == 404
    assert client_for(sw.worker).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 401
    response = post(client_for(sw.lianxi_reviewer), f"{url}/transitions", {"action": "review"})
    assert response.status_code == 404


def test_my_queue_shows_what_waits_for_me(sw, django_assert_max_num_queries):
    services.round_open(actor=sw.admin, region_code="360403", name="2026")
    manager = client_for(sw.manager)
    body = manager.get(f"{API}/standards/assessments", {"todo": "true"}).json()
    assert [i["station"]["name"] for i in body["items"]] == ["甘棠驿站"]
    reviewer = client_for(sw.district_reviewer)
    assert reviewer.get(f"{API}/standards/assessments", {"todo": "true"}).json()["count"] == 0
    with django_assert_max_num_queries(8):
        body = reviewer.get(f"{API}/standards/assessments").json()
    assert body["count"] == 2
    assert client_for(sw.lianxi_reviewer).get(f"{API}/standards/assessments").json()["count"] == 0


def test_rounds_open_and_show_progress(sw, django_assert_max_num_queries):
    admin = client_for(sw.admin)
    response = post(admin, f"{API}/standards/rounds", {"region": "360403", "name": "2026年度"})
    assert response.status_code == 201
    assert response.json()["progress"]["total"] == 2
    assert response.json()["progress"]["draft"] == 2
    post(admin, f"{API}/standards/rounds", {"region": "360403001", "name": "街道复评"})
    with django_assert_max_num_queries(6):
        body = admin.get(f"{API}/standards/rounds").json()
    assert body["count"] == 2
    assert [r["progress"]["total"] for r in body["items"]] == [0, 2]
    response = post(
        client_for(sw.district_reviewer),
        f"{API}/standards/rounds",
        {"region": "360403", "name": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("body", [{"action": "fly"}, {"action": "submit", "note": "x" * 3000}])
def test_bad_moves(sw, body):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    response = post(
        client_for(sw.manager), f"{API}/standards/assessments/{opened.pk}/transitions", body
    )
    assert response.status_code in (409, 422)


def test_spot_checks_through_the_api(sw):
    url = f"{API}/standards/spot-checks"
    body = {"station_id": sw.station.pk, "found_open": False, "note": "门锁着"}
    response = post(client_for(sw.street_reviewer), url, body)
    assert response.status_code == 201
    # a 24-hour station found closed: a miss
    assert response.json()["should_be_open"] is True and response.json()["missed"] is True
    assert post(client_for(sw.lianxi_reviewer), url, body).status_code == 403
    assert post(client_for(sw.manager), url, body).status_code == 403
    missing = {**body, "station_id": 999999}
    assert post(client_for(sw.street_reviewer), url, missing).status_code == 404


def test_the_console_speaks_english(sw):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    client = client_for(sw.manager)
    client.cookies["django_language"] = "en"
    page = client.get(
        f"/console/standards/assessments/{opened.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Submit self-assessment" in page and "Unified signage" in page
