"""The API's one error shape: RFC 7807 problem+json for every failure."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "status", "code", "entity"),
    [
        ("get", "/api/v1/no-such-endpoint", 404, "not_found", None),
        ("get", "/api/v1/stations/999999", 404, "not_found", "station"),
        ("delete", "/api/v1/amenities", 405, "method_not_allowed", None),
        ("get", "/api/v1/stations/nearby?lat=abc&lng=116", 422, "validation_error", None),
    ],
)
def test_failures_are_problem_json(client, method, path, status, code, entity):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body.get("entity") == entity
    assert body["type"].endswith(code)
    assert body["title"] and body["detail"]


@pytest.mark.django_db
def test_validation_errors_name_the_field(client):
    body = client.get("/api/v1/stations/nearby?lat=95&lng=116").json()
    assert [e["field"] for e in body["errors"]] == ["lat"]
    assert "lat" in body["detail"]


@pytest.mark.django_db
def test_unexpected_errors_become_problem_500_without_details(client, monkeypatch):
    from dandelion.stations import selectors

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "amenity_list", boom)
    response = client.get("/api/v1/amenities")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/problem+json")
    assert "secret" not in response.content.decode()


def test_an_error_code_must_be_declared_in_an_apps_enum():
    from dandelion.core.errors import Conflict, CoreError, field_error

    with pytest.raises(TypeError):
        Conflict("x", code="made_up_here")
    with pytest.raises(TypeError):
        field_error("name", "made_up_here", "x")
    assert Conflict("x", code=CoreError.ILLEGAL_TRANSITION).code == "illegal_transition"
