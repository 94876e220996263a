"""`GET /api/v1/regions/{code}` and `GET /api/v1/regions?parent=`."""

from dandelion.regions.services import region_shape_set

BOX = {
    "type": "Polygon",
    "coordinates": [[[115.98, 29.72], [116.0, 29.72], [116.0, 29.73], [115.98, 29.72]]],
}


def test_a_region_with_its_shape_and_people(client, jiujiang):
    region_shape_set(region=jiujiang["street"], boundary=BOX, population=52000)

    body = client.get("/api/v1/regions/360403001").json()

    assert body == {
        "code": "360403001",
        "name": "甘棠街道",
        "name_en": "",
        "level": "street",
        "parent_code": "360403",
        "centre": {"lat": 29.722, "lng": 115.995},
        "population": 52000,
        "boundary": BOX,
    }


def test_a_region_without_shape_or_centre(client, jiujiang):
    body = client.get("/api/v1/regions/360403001001").json()
    assert body["centre"] is None and body["boundary"] is None and body["population"] is None
    assert client.get("/api/v1/regions/360000").json()["parent_code"] is None


def test_unknown_region(client, jiujiang):
    response = client.get("/api/v1/regions/369999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/regions", {"parent": "369999"}).status_code == 404


def test_children_are_paged(client, jiujiang, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/regions", {"parent": "360400", "page_size": 1}).json()
    assert body["count"] == 2 and [r["code"] for r in body["items"]] == ["360402"]
    second = client.get("/api/v1/regions", {"parent": "360400", "page_size": 1, "page": 2})
    assert [r["code"] for r in second.json()["items"]] == ["360403"]
    roots = client.get("/api/v1/regions").json()
    assert [r["code"] for r in roots["items"]] == ["360000"]
