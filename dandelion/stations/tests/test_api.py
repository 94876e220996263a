"""The stations API as clients see it: shapes, filters, paging, datum handling and errors."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.core.geo import haversine_m, navigation_links, wgs84_to_gcj02
from dandelion.stations.services import partner_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_station):
    near = make_station(
        lat=29.7060, lng=116.0020, amenities=["hot_water", "toilet"], kind="rider_home"
    )
    mid = make_station(
        lat=29.7200,
        lng=116.0100,
        amenities=["hot_water"],
        is_24h=False,
        hours=[(d, time(0), time(0, 1)) for d in range(7)],
    )
    far = make_station(lat=29.6500, lng=115.9500, amenities=["toilet"], kind="driver_home")
    return near, mid, far


def test_nearby_returns_nearest_first_with_distances_and_links(client, three):
    near, mid, far = three
    body = client.get("/api/v1/stations/nearby", {"lat": 29.705, "lng": 116.002, "limit": 3}).json()
    assert body["count"] == 3 and body["coord"] == "wgs84"
    assert [i["id"] for i in body["items"]] == [near.pk, mid.pk, far.pk]
    first = body["items"][0]
    assert first["distance_m"] == pytest.approx(
        haversine_m(29.705, 116.002, near.lat, near.lng), abs=0.1
    )
    assert first["walking_minutes"] == 2
    assert first["riding_minutes"] == 1  # by e-bike, 250 m a minute
    assert first["navigation"] == navigation_links(lat=near.lat, lng=near.lng, name=near.name)
    assert {a["code"] for a in first["amenities"]} == {"hot_water", "toilet"}
    assert first["kind_label"] == "骑手之家"  # Chinese by default
    assert first["open_now"] is True


def test_nearby_filters_by_every_amenity_kind_and_open_now(client, three):
    near, mid, far = three
    both = client.get(
        "/api/v1/stations/nearby?lat=29.705&lng=116.002&amenity=hot_water&amenity=toilet"
    ).json()
    assert [i["id"] for i in both["items"]] == [near.pk]
    kind = client.get("/api/v1/stations/nearby?lat=29.705&lng=116.002&kind=driver_home").json()
    assert [i["id"] for i in kind["items"]] == [far.pk]
    open_now = client.get("/api/v1/stations/nearby?lat=29.705&lng=116.002&open_now=true").json()
    assert mid.pk not in [i["id"] for i in open_now["items"]]


def test_nearby_in_gcj02_converts_the_point_in_and_out(client, three):
    near = three[0]
    glat, glng = wgs84_to_gcj02(29.705, 116.002)
    body = client.get(
        "/api/v1/stations/nearby", {"lat": glat, "lng": glng, "coord": "gcj02", "limit": 1}
    ).json()
    item = body["items"][0]
    assert body["coord"] == "gcj02" and item["id"] == near.pk
    assert (item["lat"], item["lng"]) == pytest.approx(wgs84_to_gcj02(near.lat, near.lng), abs=1e-6)
    assert item["distance_m"] == pytest.approx(
        haversine_m(29.705, 116.002, near.lat, near.lng), abs=0.5
    )


def test_nearby_includes_partners_when_asked(client, three, jiujiang):
    partner = partner_create(
        name="爱心奶茶店",
        region=jiujiang["xunyang"],
        address="浔阳路",
        lat=29.70501,
        lng=116.00201,
        kind="caring_merchant",
        is_24h=True,
        offer="骑手八折",
        amenity_codes=["drinking_water"],
    )
    body = client.get("/api/v1/stations/nearby?lat=29.705&lng=116.002&include_partners=true").json()
    first = body["items"][0]
    assert (first["type"], first["id"], first["offer"]) == ("partner", partner.pk, "骑手八折")


def test_nearby_answers_exactly_the_documented_schema(client, three, jiujiang):
    """The view sends its payload without a second validation; this holds it to the schema."""
    from dandelion.stations.api.schemas import NearbyOut, NearbyResultOut

    partner_create(
        name="服务角",
        region=jiujiang["xunyang"],
        address="浔阳路",
        lat=29.7052,
        lng=116.0022,
        kind="service_corner",
        is_24h=True,
        amenity_codes=["drinking_water"],
    )
    for query in ("", "&include_partners=true&coord=gcj02", "&open_now=true&amenity=toilet"):
        response = client.get(f"/api/v1/stations/nearby?lat=29.705&lng=116.002{query}")
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        body = response.json()
        assert NearbyResultOut.model_validate(body).model_dump(mode="json") == body
        assert all(set(item) == set(NearbyOut.model_fields) for item in body["items"])


def test_nearby_speaks_english_when_asked(client, three):
    body = client.get(
        "/api/v1/stations/nearby?lat=29.705&lng=116.002&limit=1", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    first = body["items"][0]
    assert first["kind_label"] == "Rider's home"
    assert {a["name"] for a in first["amenities"]} == {a["name_en"] for a in first["amenities"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lat=91&lng=116", "lat"),
        ("lat=29&lng=-181", "lng"),
        ("lat=nan&lng=116", "lat"),
        ("lng=116", "lat"),
        ("lat=29&lng=116&limit=0", "limit"),
        ("lat=29&lng=116&limit=51", "limit"),
        ("lat=29&lng=116&amenity=teleporter", "amenity"),
        ("lat=29&lng=116&kind=castle", "kind"),
        ("lat=29&lng=116&coord=mars", "coord"),
    ],
)
def test_nearby_bad_input_is_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/stations/nearby?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert any(e["field"].split(".")[0] == field for e in response.json()["errors"])


def test_nearby_answers_from_the_index_with_one_version_check(client, make_station):
    for i in range(12):
        make_station(lat=29.70 + i * 0.001, lng=116.0, amenities=["hot_water", "toilet"])
    client.get("/api/v1/stations/nearby?lat=29.7&lng=116")  # builds this process's index
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/stations/nearby?lat=29.7&lng=116&limit=2").json()["count"] == 2
    with CaptureQueriesContext(connection) as many:
        many_items = client.get(
            "/api/v1/stations/nearby?lat=29.7&lng=116&limit=12&open_now=true&amenity=toilet"
        ).json()["items"]
    assert len(many_items) == 12
    # Tests check the version on every call; in production, at most once a second.
    assert [q["sql"] for q in few] == [q["sql"] for q in many]
    assert len(few) == 1 and "stations_placesversion" in few[0]["sql"]


def test_list_is_paged_and_filtered(client, three, jiujiang, make_station):
    other = make_station(region=jiujiang["lianxi"], name="濂溪区十里驿站", lat=29.67, lng=116.02)
    page = client.get("/api/v1/stations?page_size=2").json()
    assert page["count"] == 4 and len(page["items"]) == 2
    page2 = client.get("/api/v1/stations?page_size=2&page=2").json()
    assert {i["id"] for i in page["items"]} | {i["id"] for i in page2["items"]} == {
        s.pk for s in (*three, other)
    }
    assert [i["id"] for i in client.get("/api/v1/stations?region=360402").json()["items"]] == [
        other.pk
    ]
    assert (
        client.get("/api/v1/stations?region=360400").json()["count"] == 4
    )  # the city contains both
    assert [i["id"] for i in client.get("/api/v1/stations?q=十里").json()["items"]] == [other.pk]
    assert client.get("/api/v1/stations?kind=driver_home").json()["count"] == 1
    assert client.get("/api/v1/stations?amenity=toilet").json()["count"] == 2


def test_list_query_count_is_constant(client, make_station):
    for i in range(5):
        make_station(lat=29.7 + i * 0.01, amenities=["hot_water"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/stations?page_size=5").status_code == 200
    assert len(queries) <= 6


def test_list_refuses_unknown_region_and_bad_codes(client, three):
    unknown = client.get("/api/v1/stations?region=999999")
    assert unknown.status_code == 404
    assert (unknown.json()["code"], unknown.json()["entity"]) == ("not_found", "region")
    assert client.get("/api/v1/stations?region=12ab").status_code == 422


def test_detail_has_hours_exceptions_and_navigation(client, make_station):
    station = make_station(is_24h=False, hours=[(4, time(18), time(2))], phone="0792-8881234")
    body = client.get(f"/api/v1/stations/{station.pk}").json()
    assert body["hours"] == [{"weekday": 4, "opens": "18:00:00", "closes": "02:00:00"}]
    assert body["phone"] == "0792-8881234"
    assert set(body["navigation"]) == {
        "amap",
        "baidu",
        "tencent",
        "amap_app",
        "amap_ios",
        "baidu_app",
        "tencent_app",
    }
    assert body["uuid"] == str(station.uuid)


def test_geojson_is_a_feature_collection_in_wgs84(client, three, jiujiang):
    partner_create(
        name="服务角",
        region=jiujiang["xunyang"],
        address="商场一楼",
        lat=29.71,
        lng=116.0,
        kind="service_corner",
        is_24h=True,
    )
    response = client.get("/api/v1/stations.geojson")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 3
    near = three[0]
    feature = next(f for f in body["features"] if f["properties"]["id"] == near.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [near.lng, near.lat]}
    with_partners = client.get("/api/v1/stations.geojson?include_partners=true").json()
    assert {f["properties"]["type"] for f in with_partners["features"]} == {"station", "partner"}


def test_amenities_catalogue_in_both_languages(client):
    zh = client.get("/api/v1/amenities").json()
    en = client.get("/api/v1/amenities", HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(zh) >= 18
    hot_zh = next(a for a in zh if a["code"] == "hot_water")
    hot_en = next(a for a in en if a["code"] == "hot_water")
    assert (hot_zh["name"], hot_en["name"]) == ("热水", "Hot water")


def test_partner_list_and_detail(client, jiujiang):
    partner = partner_create(
        name="暖心便利店",
        region=jiujiang["xunyang"],
        address="九龙街8号",
        lat=29.71,
        lng=116.0,
        kind="caring_merchant",
        is_24h=False,
        offer="免费热水",
        amenity_codes=["hot_water"],
    )
    from dandelion.stations.services import place_set_weekly_hours

    place_set_weekly_hours(place=partner, intervals=[(0, time(7), time(22))])
    page = client.get("/api/v1/partners?amenity=hot_water").json()
    assert page["count"] == 1 and page["items"][0]["offer"] == "免费热水"
    detail = client.get(f"/api/v1/partners/{partner.pk}").json()
    assert detail["type"] == "partner" and detail["hours"][0]["opens"] == "07:00:00"
    missing = client.get("/api/v1/partners/999999").json()
    assert (missing["code"], missing["entity"]) == ("not_found", "partner_place")


def test_bbox_limits_lists_and_geojson(client, three):
    near = three[0]
    box = "115.99,29.70,116.005,29.71"  # around `near` only
    assert [i["id"] for i in client.get(f"/api/v1/stations?bbox={box}").json()["items"]] == [
        near.pk
    ]
    features = client.get(f"/api/v1/stations.geojson?bbox={box}").json()["features"]
    assert [f["properties"]["id"] for f in features] == [near.pk]


@pytest.mark.parametrize("box", ["1,2,3", "a,b,c,d", "115,29.8,116,29.7", "115,29,200,30"])
def test_bad_bbox_is_422(client, box):
    response = client.get(f"/api/v1/stations.geojson?bbox={box}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bbox"


def test_nearby_with_no_stations_is_an_empty_answer(client, jiujiang):
    body = client.get("/api/v1/stations/nearby?lat=29.705&lng=116.002&open_now=true").json()
    assert body == {"count": 0, "coord": "wgs84", "items": []}


def test_geojson_refuses_more_features_than_one_answer_holds(client, three, monkeypatch):
    from dandelion.stations.api import stations as api

    monkeypatch.setattr(api, "GEOJSON_MAX_FEATURES", 2)
    response = client.get("/api/v1/stations.geojson")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_many_features"
    # A window holding few enough answers as usual.
    window = client.get("/api/v1/stations.geojson?bbox=115.99,29.70,116.005,29.71")
    assert window.status_code == 200 and len(window.json()["features"]) == 1
