"""The JSON API: submitting with photos, the public list and detail (never the reporter),
nearby duplicates, "me too", the reporter's confirm/reopen, and staff endpoints by role."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from dandelion.accounts.testing import client_for
from dandelion.core.geo import wgs84_to_gcj02
from dandelion.reports import services
from dandelion.reports.models import Report

from .conftest import HERE, jpeg_bytes, photo

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _create(client, **fields):
    data = {
        "category": "garbage",
        "lat": str(HERE[0]),
        "lng": str(HERE[1]),
        "description": "垃圾桶满了没人清",
        "address": "甘棠北路 8 号",
        "photos": [photo("a.jpg"), photo("b.jpg")],
        **fields,
    }
    return client.post(f"{API}/reports", data)


def test_a_worker_reports_a_problem_with_photos(rw):
    response = _create(client_for(rw.worker))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "for_triage" and body["open311_status"] == "open"
    assert body["agency"] == "甘棠街道办事处"
    assert len(body["photos"]) == 2 and body["photos"][0]["thumbnail_url"]
    assert "reporter" not in body
    report = Report.objects.get(pk=body["id"])
    assert report.source == "api" and report.reporter == rw.worker


def test_extra_questions_go_as_attribute_fields(rw):
    response = _create(client_for(rw.worker), category="broken_lift", **{"attribute[floor]": "12"})
    assert response.status_code == 201, response.content
    assert Report.objects.get().attributes == {"floor": "12"}


def test_a_gcj02_point_is_stored_in_wgs84(rw):
    glat, glng = wgs84_to_gcj02(*HERE)
    response = _create(client_for(rw.worker), lat=str(glat), lng=str(glng), coord="gcj02")
    assert response.status_code == 201
    report = Report.objects.get()
    assert abs(report.lat - HERE[0]) < 1e-6 and abs(report.lng - HERE[1]) < 1e-6


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"photos": [photo("bad.jpg", b"GIF89a not really")]}, "photos[0]", "photo_not_image"),
        ({"photos": []}, "photos", "required"),
        ({"category": "nope"}, "category", "category_not_offered"),
        ({"lat": "95"}, "lat", "validation_error"),
        ({"lat": "north"}, "lat", "validation_error"),
        ({"description": "x" * 4001}, "description", "validation_error"),
    ],
)
def test_bad_input_is_a_422_problem_naming_the_field(rw, fields, field, code):
    response = _create(client_for(rw.worker), **fields)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert field in [e["field"] for e in body["errors"]]
    assert not Report.objects.exists()


def test_a_truncated_photo_is_a_422_naming_it(rw):
    whole = jpeg_bytes(size=(300, 200))
    response = _create(
        client_for(rw.worker), photos=[photo(), photo("cut.jpg", whole[: len(whole) // 2])]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "photos[1]"
    assert response.json()["code"] == "photo_corrupt"


def test_reporting_needs_a_signed_in_person(rw):
    assert _create(client_for(None)).status_code == 401


def test_the_public_list_filters_pages_and_never_shows_the_reporter(rw, make_report):
    a = make_report()
    make_report(category="manhole", at=(29.7300, 115.9900))
    far = make_report(at=(29.6700, 116.0200), category="manhole")  # 濂溪区
    services.report_status_change(report_id=a.pk, actor=rw.dispatcher, status="open", note="受理")
    client = client_for(None)

    body = client.get(f"{API}/reports").json()
    assert body["count"] == 3
    assert all("reporter" not in item for item in body["items"])
    assert rw.worker.phone not in json.dumps(body)
    assert client.get(f"{API}/reports?category=garbage").json()["count"] == 1
    assert client.get(f"{API}/reports?status=open").json()["items"][0]["id"] == a.pk
    assert client.get(f"{API}/reports?region=360402").json()["items"][0]["id"] == far.pk
    boxed = client.get(f"{API}/reports?bbox=115.98,29.71,116.00,29.74").json()
    assert boxed["count"] == 2
    assert client.get(f"{API}/reports?page_size=1&page=2").json()["count"] == 3
    bad = client.get(f"{API}/reports?bbox=1,2,3")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert client.get(f"{API}/reports?status=sleeping").status_code == 422


def test_the_public_list_costs_the_same_queries_for_one_or_many(rw, make_report):
    client = client_for(None)
    make_report()
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/reports").status_code == 200
    for n in range(5):
        make_report(at=(HERE[0] + 0.001 * n, HERE[1]), photos=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{API}/reports").json()["count"] == 6
    assert len(many) == len(one) <= 4


def test_one_report_shows_its_public_updates(rw, make_report):
    report = make_report()
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="open", note="已受理，三天内清运"
    )
    body = client_for(None).get(f"{API}/reports/{report.pk}").json()
    assert [u["status"] for u in body["updates"]] == ["open"]
    assert body["updates"][0]["note"] == "已受理，三天内清运"
    assert body["updates"][0]["by"] == "staff"
    missing = client_for(None).get(f"{API}/reports/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert missing.json()["entity"] == "report"


def test_nearby_open_for_the_duplicate_check(rw, make_report):
    near = make_report(at=(HERE[0] + 0.0002, HERE[1]))
    client = client_for(None)
    body = client.get(
        f"{API}/reports/nearby-open?category=garbage&lat={HERE[0]}&lng={HERE[1]}"
    ).json()
    assert [r["id"] for r in body] == [near.pk] and body[0]["distance_m"] < 50
    assert (
        client.get(f"{API}/reports/nearby-open?category=manhole&lat={HERE[0]}&lng={HERE[1]}").json()
        == []
    )
    unknown = client.get(f"{API}/reports/nearby-open?category=zzz&lat=29.7&lng=116")
    assert unknown.status_code == 404


def test_nearby_open_uses_the_category_of_the_points_city(rw, make_report):
    from dandelion.regions.services import region_upsert

    nanchang = region_upsert(code="360100", name="南昌市", parent=rw.province)
    services.category_upsert(region=nanchang, code="garbage", name="暴露垃圾")  # same code
    near = make_report(at=(HERE[0] + 0.0002, HERE[1]))
    body = (
        client_for(None)
        .get(f"{API}/reports/nearby-open?category=garbage&lat={HERE[0]}&lng={HERE[1]}")
        .json()
    )
    assert [r["id"] for r in body] == [near.pk]
    outside = client_for(None).get(f"{API}/reports/nearby-open?category=garbage&lat=0&lng=0")
    assert outside.status_code == 422 and outside.json()["code"] == "outside_service_area"


def test_me_too_is_idempotent_and_counts(rw, make_report):
    report = make_report()
    client = client_for(rw.other_worker)
    first = _post(client, f"{API}/reports/{report.pk}/support").json()
    again = _post(client, f"{API}/reports/{report.pk}/support").json()
    assert (first["created"], again["created"]) == (True, False)
    assert again["support_count"] == 1
    own = _post(client_for(rw.worker), f"{API}/reports/{report.pk}/support")
    assert own.status_code == 409 and own.json()["code"] == "own_report"
    assert _post(client_for(None), f"{API}/reports/{report.pk}/support").status_code == 401


def test_my_reports_include_supported_ones(rw, make_report):
    mine = make_report()
    theirs = make_report(reporter=rw.other_worker, at=(HERE[0] + 0.001, HERE[1]))
    services.report_support(report_id=theirs.pk, user=rw.worker)
    make_report(reporter=rw.third_worker, at=(HERE[0] + 0.002, HERE[1]))
    body = client_for(rw.worker).get(f"{API}/reports/mine").json()
    assert {(i["id"], i["mine"]) for i in body["items"]} == {(mine.pk, True), (theirs.pk, False)}


def test_the_reporter_confirms_and_others_may_not(rw, make_report):
    report = make_report()
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="fixed", note="好了"
    )
    refused = _post(client_for(rw.other_worker), f"{API}/reports/{report.pk}/confirm")
    assert refused.status_code == 403
    done = _post(client_for(rw.worker), f"{API}/reports/{report.pk}/confirm", {"note": "确实好了"})
    assert done.status_code == 200 and done.json()["status"] == "closed"
    again = _post(client_for(rw.worker), f"{API}/reports/{report.pk}/confirm")
    assert again.status_code == 409 and again.json()["state"] == "closed"
    assert again.json()["code"] == "illegal_transition"
    reopen = _post(client_for(rw.worker), f"{API}/reports/{report.pk}/reopen", {"note": ""})
    assert reopen.status_code == 422 and reopen.json()["errors"][0]["field"] == "note"


# ---- staff ----


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", 2),
        ("dispatcher", 2),
        ("auditor", 2),
        ("office_handler", 1),  # garbage at the street → the street office
        ("urban_handler", 1),  # manhole → the district bureau
        ("dispatcher_l", 0),
    ],
)
def test_the_staff_list_is_scoped(rw, make_report, who, sees):
    make_report()
    make_report(category="manhole", at=(HERE[0] + 0.001, HERE[1]))
    response = client_for(getattr(rw, who)).get(f"{API}/staff/reports")
    assert response.status_code == 200
    assert response.json()["count"] == sees


def test_workers_get_nothing_from_the_staff_list(rw, make_report):
    make_report()
    assert client_for(rw.other_worker).get(f"{API}/staff/reports").json()["count"] == 0
    assert client_for(None).get(f"{API}/staff/reports").status_code == 401


def test_the_staff_list_costs_the_same_queries_for_one_or_many(rw, make_report):
    client = client_for(rw.dispatcher)
    make_report()
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/staff/reports")
    for n in range(4):
        make_report(at=(HERE[0] + 0.001 * n, HERE[1]))
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{API}/staff/reports").json()["count"] == 5
    assert len(many) == len(one)


def test_the_masked_phone_is_only_for_roles_that_call_back(rw, make_report):
    report = make_report()
    staff = client_for(rw.dispatcher).get(f"{API}/staff/reports/{report.pk}").json()
    assert staff["reporter"] == {"phone": "138****1111"}
    audit = client_for(rw.auditor).get(f"{API}/staff/reports/{report.pk}").json()
    assert audit["reporter"] is None
    assert "13800001111" not in json.dumps(staff)
    assert client_for(rw.dispatcher_l).get(f"{API}/staff/reports/{report.pk}").status_code == 403
    assert client_for(rw.dispatcher).get(f"{API}/staff/reports/999999").status_code == 404


def test_staff_move_route_and_merge_through_the_api(rw, make_report):
    report = make_report()
    other = make_report(at=(HERE[0] + 0.0001, HERE[1]), reporter=rw.other_worker)
    client = client_for(rw.dispatcher)
    moved = _post(
        client, f"{API}/staff/reports/{report.pk}/status", {"status": "open", "note": "受理"}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "open"
    assert "fixed" in moved.json()["next_statuses"]
    illegal = _post(
        client, f"{API}/staff/reports/{report.pk}/status", {"status": "for_triage", "note": "x"}
    )
    assert illegal.status_code == 409
    assert illegal["Content-Type"] == "application/problem+json"
    assert illegal.json()["code"] == "illegal_transition" and illegal.json()["status"] == 409
    routed = _post(
        client, f"{API}/staff/reports/{report.pk}/route", {"organisation_id": rw.urban.pk}
    )
    assert routed.json()["organisation"]["id"] == rw.urban.pk
    merged = _post(client, f"{API}/staff/reports/{other.pk}/duplicate", {"original_id": report.pk})
    assert merged.status_code == 200 and merged.json()["duplicate_of"] == report.pk
    kinds = [e["kind"] for e in merged.json()["events"]]
    assert kinds[-1] == "status"
    beyond = _post(client, f"{API}/staff/reports/{report.pk}/duplicate", {"original_id": 10**30})
    assert beyond.status_code == 422 and beyond.json()["code"] == "original_not_found"
    auditor = _post(
        client_for(rw.auditor),
        f"{API}/staff/reports/{report.pk}/status",
        {"status": "fixed", "note": "x"},
    )
    assert auditor.status_code == 403


def test_categories_with_their_questions(rw):
    body = client_for(None).get(f"{API}/report-categories?lat={HERE[0]}&lng={HERE[1]}").json()
    codes = [c["code"] for c in body]
    assert "garbage" in codes and "lianxi_only" not in codes
    lift = next(c for c in body if c["code"] == "broken_lift")
    assert lift["attributes"][0]["code"] == "floor" and lift["attributes"][0]["required"]
    english = (
        client_for(None)
        .get(f"{API}/report-categories?region=360402", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert "lianxi_only" in [c["code"] for c in english]


def test_a_nul_character_is_a_422_problem_naming_the_field_on_every_database(rw):
    response = _create(client_for(rw.worker), description="垃圾\x00桶满了")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "description" in [e["field"] for e in response.json()["errors"]]
    assert not Report.objects.exists()


def test_the_report_after_the_limit_is_a_429_and_stores_nothing(rw, settings):
    # Given a limit of two reports in ten minutes, and a worker who has made two,
    settings.SUBMISSION_RATES = "2/600"
    worker = client_for(rw.worker)
    assert [_create(worker).status_code for _ in range(2)] == [201, 201]

    # when they report a third time,
    response = _create(worker, description="第三次")

    # then they are told to wait, nothing is stored, and others may still report.
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 600
    assert response.json()["code"] == "rate_limited"
    assert Report.objects.count() == 2 and not Report.objects.filter(description="第三次")
    assert _create(client_for(rw.other_worker)).status_code == 201


def test_a_refused_report_does_not_count_against_the_limit(rw, settings):
    settings.SUBMISSION_RATES = "1/600"
    worker = client_for(rw.worker)
    assert _create(worker, category="nope").status_code == 422
    assert _create(worker).status_code == 201


def test_large_photos_wait_for_a_decoding_slot_and_are_a_429_when_none_frees(
    rw, settings, tmp_path
):
    from dandelion.core.photos import decoding_slot

    settings.PHOTO_DECODE_SLOTS = 1
    settings.PHOTO_DECODE_WAIT_SECONDS = 0
    settings.PHOTO_LOCK_DIR = str(tmp_path)
    # A PNG decodes at full size: 2100 × 2000 is more than a small request's pixels.
    out = io.BytesIO()
    Image.new("RGB", (2100, 2000), (10, 200, 30)).save(out, format="PNG")
    large = photo("large.png", out.getvalue(), "image/png")
    with decoding_slot():  # another request is decoding
        response = _create(client_for(rw.worker), photos=[large])
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "photos_busy" and int(response["Retry-After"]) > 0
    assert not Report.objects.exists()
