"""The HSDS endpoints: the root, paging, filters, proximity, ndjson, ids and the error shape."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from dandelion.core.geo import haversine_m
from dandelion.directory.taxonomy import TAXONOMY_AMENITIES, amenity_term_id, item_term_id

PROBLEM = "application/problem+json"


def test_root_names_the_version_profile_document_and_publisher(client, directory):
    body = client.get("/hsds/").json()
    assert body["version"] == "3.1"
    assert body["profile"] == "http://testserver/hsds/profile"
    assert body["openapi_url"] == "http://testserver/hsds/openapi.json"
    assert body["publisher"]
    assert client.get("/hsds/profile").json()["name"] == "dandelion-cn"
    assert client.get("/hsds/openapi.json").status_code == 200


def test_services_map_places_and_menu_items_with_providers(client, directory):
    services = client.get("/hsds/services", {"per_page": 100}).json()["contents"]
    by_name: dict[str, list[dict]] = {}
    for service in services:
        by_name.setdefault(service["name"], []).append(service)
    assert by_name["暂停驿站"][0]["status"] == "temporarily closed"
    assert by_name["甘棠24小时驿站"][0]["status"] == "active"
    # Two providers: the item is offered twice, once by each; no provider: by the publisher.
    mediation = by_name["劳动争议调解"]
    assert len(mediation) == 2
    assert len({s["organization_id"] for s in mediation}) == 2
    assert len(by_name["电动车充电维修"]) == 1
    terms = {a["taxonomy_term_id"] for a in by_name["甘棠24小时驿站"][0]["attributes"]}
    assert terms == {amenity_term_id("hot_water"), amenity_term_id("phone_charging")}
    areas = mediation[0]["service_areas"]
    assert [a["division_code"] for a in areas] == ["360403"]


def test_ids_are_stable_uuids_and_no_secret_or_database_id_is_shown(client, directory):
    first = client.get("/hsds/service_at_locations", {"full": "true", "per_page": 100}).content
    second = client.get("/hsds/service_at_locations", {"full": "true", "per_page": 100}).content
    assert first == second
    for row in json.loads(first)["contents"]:
        for value in (row["id"], row["service_id"], row["location_id"]):
            assert uuid.UUID(value)
    everything = first + b"".join(
        client.get(url, {"full": "true", "per_page": 100}).content
        for url in ("/hsds/services", "/hsds/organizations")
    )
    for station in (directory["always"], directory["evening"], directory["suspended"]):
        station.refresh_from_db()
        assert station.visit_code.encode() not in everything
        assert str(station.uuid).encode() not in everything
    assert b'"pk"' not in everything and b"visit_code" not in everything


def test_locations_carry_address_division_phone_and_profile_fields(client, directory):
    rows = client.get("/hsds/service_at_locations", {"full": "true", "per_page": 100}).json()
    locations = {r["location"]["name"]: r["location"] for r in rows["contents"]}
    evening = locations["濂溪夜间驿站"]
    address = evening["addresses"][0]
    assert (address["state_province"], address["city"], address["region"]) == (
        "江西省",
        "九江市",
        "濂溪区",
    )
    assert address["division_code"] == "360402" and address["country"] == "CN"
    assert (evening["place_type"], evening["place_kind"], evening["station_origin"]) == (
        "station",
        "rider_home",
        "new_build",
    )
    assert locations["甘棠24小时驿站"]["phones"][0]["number"] == "0792-8221234"
    assert locations["爱心面馆"]["place_kind"] == "caring_merchant"
    assert "station_origin" not in locations["爱心面馆"]


def test_paging_envelope_and_bounds(client, directory):
    total = client.get("/hsds/services").json()["total_items"]
    assert total == 7  # four places, mediation by two providers, charging
    first = client.get("/hsds/services", {"per_page": 4}).json()
    assert (first["total_pages"], first["page_number"], first["size"]) == (2, 1, 4)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = client.get("/hsds/services", {"per_page": 4, "page": 2}).json()
    assert (second["size"], second["last_page"], second["first_page"]) == (3, True, False)
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(ids)) == total
    beyond = client.get("/hsds/services", {"per_page": 4, "page": 9}).json()
    assert beyond["empty"] and beyond["contents"] == [] and beyond["total_items"] == total
    for params in ({"per_page": 101}, {"per_page": 0}, {"page": 0}, {"format": "xml"}):
        response = client.get("/hsds/services", params)
        assert response.status_code == 422, params
        assert response["Content-Type"] == PROBLEM
        assert response.json()["code"] == "validation_error"


def test_unknown_ids_answer_404_problems(client, directory):
    for path in (
        "services",
        "organizations",
        "service_at_locations",
        "taxonomies",
        "taxonomy_terms",
    ):
        response = client.get(f"/hsds/{path}/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        assert response.json()["code"] == "not_found"
    assert client.get("/hsds/services/1").status_code == 404


def test_filters_by_term_taxonomy_organization_and_search(client, directory):
    def names(url, **params):
        rows = client.get(url, {"per_page": 100, **params}).json()["contents"]
        return sorted(r["name"] for r in rows)

    hot_water = amenity_term_id("hot_water")
    assert names("/hsds/services", taxonomy_term_id=hot_water) == ["爱心面馆", "甘棠24小时驿站"]
    menu_services = names("/hsds/services", taxonomy_term_id=item_term_id("labour_mediation"))
    assert menu_services == ["劳动争议调解", "劳动争议调解"]
    assert len(names("/hsds/services", taxonomy_id=TAXONOMY_AMENITIES)) == 3
    assert names("/hsds/services", search="夜间") == ["濂溪夜间驿站"]
    host = client.get("/hsds/organizations", {"search": "九江银行"}).json()["contents"]
    assert len(host) == 1
    assert names("/hsds/services", organization_id=host[0]["id"]) == ["暂停驿站", "甘棠24小时驿站"]
    assert names("/hsds/organizations", taxonomy_term_id=hot_water) == [
        "九江银行甘棠支行",
        "爱心面馆",
    ]
    terms = client.get("/hsds/taxonomy_terms", {"top_only": "true", "per_page": 100}).json()
    assert all("parent_id" not in t for t in terms["contents"])
    legal = next(t for t in terms["contents"] if t["code"] == "legal")
    children = client.get("/hsds/taxonomy_terms", {"parent_id": legal["id"]}).json()
    assert [t["code"] for t in children["contents"]] == ["labour_mediation"]
    assert client.get("/hsds/taxonomies").json()["total_items"] == 2


def test_modified_after(client, directory, time_machine):
    later = timezone.now() + timedelta(hours=1)
    time_machine.move_to(later)
    from dandelion.stations.services import station_update

    station_update(station=directory["evening"], notes="新的说明")
    after = (later - timedelta(minutes=1)).isoformat()
    rows = client.get("/hsds/services", {"modified_after": after}).json()["contents"]
    assert [r["name"] for r in rows] == ["濂溪夜间驿站"]
    links = client.get("/hsds/service_at_locations", {"modified_after": after}).json()
    assert links["total_items"] == 1
    future = (later + timedelta(days=1)).isoformat()
    assert client.get("/hsds/services", {"modified_after": future}).json()["empty"]


def test_proximity_is_exact_against_haversine(client, directory):
    lat, lng = 29.7275, 115.9899
    rows = client.get("/hsds/service_at_locations", {"full": "true", "per_page": 100}).json()
    distances = {
        r["id"]: haversine_m(lat, lng, r["location"]["latitude"], r["location"]["longitude"])
        for r in rows["contents"]
    }
    for radius in (0, 500, 1_500, 2_000, 8_000, 100_000):
        found = client.get(
            "/hsds/service_at_locations",
            {"lat": lat, "lng": lng, "proximity": radius, "per_page": 100},
        ).json()["contents"]
        expected = sorted((i for i, m in distances.items() if m <= radius), key=distances.get)
        assert [r["id"] for r in found] == expected, radius
    # A radius just short of a place leaves it out; exactly at it keeps it.
    edge = sorted(distances.values())[2]
    for radius, count in ((edge - 0.01, 2), (edge, 3)):
        found = client.get(
            "/hsds/service_at_locations", {"lat": lat, "lng": lng, "proximity": radius}
        ).json()
        assert found["total_items"] == count


@pytest.mark.parametrize(
    "params",
    [
        {"lat": 29.7, "proximity": 100},
        {"lat": 29.7, "lng": 116.0},
        {"proximity": 100},
        {"lat": 91, "lng": 116.0, "proximity": 100},
        {"lat": 29.7, "lng": 116.0, "proximity": -1},
        {"lat": 29.7, "lng": 116.0, "proximity": 100_001},
    ],
)
def test_proximity_needs_a_point_and_a_radius(client, directory, params):
    response = client.get("/hsds/service_at_locations", params)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "invalid_proximity"


@pytest.mark.parametrize(
    "url",
    [
        "/hsds/services",
        "/hsds/organizations",
        "/hsds/service_at_locations",
        "/hsds/taxonomies",
        "/hsds/taxonomy_terms",
    ],
)
def test_ndjson_exports_every_matching_object_unpaged(client, directory, url):
    response = client.get(url, {"format": "ndjson", "per_page": 1})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    paged = client.get(url, {"per_page": 100}).json()
    assert [json.loads(line) for line in lines] == paged["contents"]
    assert len(lines) == paged["total_items"] > 1


def test_the_document_declares_each_problem_an_operation_answers():
    from dandelion.core.openapi import current_schema

    paths = current_schema("hsds")["paths"]
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        if "{" in path:
            assert "404" in responses, path
        if operations["get"].get("parameters"):
            assert "422" in responses, path
        for status, response in responses.items():
            if int(status) >= 400:
                assert PROBLEM in response["content"], (path, status)
        assert "security" not in operations["get"], path


def test_ids_are_derived_the_same_way_everywhere():
    from dandelion.directory.ids import hsds_id

    assert hsds_id("location", "station", "x") == hsds_id("location", "station", "x")
    assert hsds_id("location", "station", "x") != hsds_id("location", "partner", "x")
    assert uuid.UUID(hsds_id("taxonomy", "amenities")).version == 5


def test_a_missing_object_reads_as_the_api_says_it_in_english(client, directory):
    response = client.get(f"/hsds/services/{uuid.uuid4()}", headers={"accept-language": "en"})
    assert response.json()["detail"] == "There is no such item."
