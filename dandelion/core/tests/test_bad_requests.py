"""Requests the API cannot use are the caller's problem, never a server error: a page beyond
any list, a multipart body without a boundary, a body over the upload limit, NUL characters."""

import json

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def test_a_page_beyond_what_the_database_can_offset_is_refused_naming_the_field(client):
    response = client.get("/api/v1/stations?page=461168601842738792")
    body = _problem(response, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["page"]


def test_the_last_page_the_api_accepts_is_an_empty_page(client):
    response = client.get("/api/v1/stations?page=1000000&page_size=100")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_multipart_without_a_boundary_is_a_400(client, make_user):
    client.force_login(make_user(name="骑手"))
    response = client.post("/api/v1/reports", data=b"--x\r\n", content_type="multipart/form-data")
    _problem(response, 400, "malformed_request")


def test_multipart_without_a_boundary_is_a_400_before_sign_in_too(client):
    response = client.post("/api/v1/reports", data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code in (400, 401)
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_body_over_the_upload_limit_is_a_413_without_signing_in(client):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/api/v1/auth/otp",
        data=json.dumps({"phone": "13800000000", "padding": padding}),
        content_type="application/json",
    )
    _problem(response, 413, "payload_too_large")


def test_nul_in_a_json_body_is_refused_naming_the_field(client):
    response = client.post(
        "/api/v1/auth/otp",
        data=json.dumps({"phone": "1380000\u00000000"}),
        content_type="application/json",
    )
    body = _problem(response, 422, "validation_error")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("phone", "nul_character")]


def test_nul_in_a_query_is_refused_naming_the_field(client):
    body = _problem(client.get("/api/v1/stations?q=%E9%A9%BF%00"), 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["q"]


def test_nul_in_a_form_field_is_refused_naming_the_field(client, make_user):
    client.force_login(make_user(name="骑手"))
    response = client.post(
        "/api/v1/reports",
        data={"category": "garbage", "description": "a\x00b", "lat": "29.7", "lng": "116"},
    )
    body = _problem(response, 422, "validation_error")
    assert "description" in [e["field"] for e in body["errors"]]


def test_nul_in_a_page_form_is_a_400_and_stores_nothing(client, make_user):
    user = make_user(name="骑手")
    client.force_login(user)
    response = client.post("/me/", {"display_name": "骑\x00手"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.display_name == "骑手"


def test_nul_in_a_page_link_is_a_400(client):
    assert client.get("/?q=%00").status_code == 400


def test_a_pages_domain_refusals_are_the_sites_404_and_403_pages(rf):
    from dandelion.core.errors import NotFound, PermissionDenied
    from dandelion.core.middleware import RefusalPagesMiddleware

    middleware = RefusalPagesMiddleware(lambda request: None)
    page = rf.get("/console/somewhere/")
    assert middleware.process_exception(page, NotFound("x")).status_code == 404
    assert middleware.process_exception(page, PermissionDenied("x")).status_code == 403
    assert middleware.process_exception(page, ValueError("x")) is None
    # the API speaks problem+json itself
    assert middleware.process_exception(rf.get("/api/v1/x"), NotFound("x")) is None
