"""Online registration (在线报到) and the worker profile: GET/PATCH /api/v1/me."""

import pytest

from dandelion.accounts.models import WorkerProfile
from dandelion.accounts.testing import client_for
from dandelion.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "occupation": "delivery_rider",
    "platform": "eleme",
    "work_region_code": "360403001",
    "is_volunteer": True,
    "skills": ["急救", " 维修电动车 ", "急救"],
    "real_name": "张三",
    "accept_policy_version": "2025-01",
}


def patch(client, body):
    return client.patch("/api/v1/me", body, content_type="application/json")


@pytest.fixture
def newcomer(make_worker):
    return client_for(make_worker(registered=False, phone="13812345678"))


def test_before_registering_me_says_so(newcomer):
    body = newcomer.get("/api/v1/me").json()
    assert body["registered"] is False and body["profile"] is None
    assert body["privacy_policy_version"] == "2025-01"


def test_registration_records_the_profile_and_consent(newcomer):
    response = patch(newcomer, REGISTRATION)
    assert response.status_code == 200
    body = response.json()
    assert body["registered"] is True and body["consent_current"] is True
    profile = body["profile"]
    assert profile["occupation_label"] == "外卖骑手" and profile["platform_label"] == "饿了么"
    assert profile["work_region"] == {"code": "360403001", "name": "甘棠街道"}
    assert profile["skills"] == ["急救", "维修电动车"]
    assert profile["consent_policy_version"] == "2025-01" and profile["consented_at"]
    event = AuditEvent.objects.get(action="consent.give")
    assert event.detail == {"policy_version": "2025-01"}


def test_registration_needs_the_required_fields(newcomer):
    response = patch(newcomer, {"occupation": "courier"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "required"
    assert {e["code"] for e in body["errors"]} == {"required"}
    assert {e["field"] for e in body["errors"]} == {
        "platform",
        "work_region_code",
        "accept_policy_version",
    }
    assert not WorkerProfile.objects.exists()


def test_registration_needs_consent_to_the_current_policy(newcomer):
    response = patch(newcomer, {**REGISTRATION, "accept_policy_version": "2020-01"})
    assert response.status_code == 422 and response.json()["code"] == "consent_required"


@pytest.mark.parametrize("code", ["360403000", "999999999"])
def test_the_work_region_must_be_a_known_street(newcomer, code, jiujiang):
    response = patch(newcomer, {**REGISTRATION, "work_region_code": code})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "work_region_code"


def test_a_platform_not_listed_is_named_in_free_text(newcomer):
    missing = patch(newcomer, {**REGISTRATION, "platform": "other"})
    assert missing.status_code == 422 and missing.json()["code"] == "required"
    assert missing.json()["errors"][0]["field"] == "platform_other"
    named = patch(newcomer, {**REGISTRATION, "platform": "other", "platform_other": "闪送"})
    assert named.json()["profile"]["platform_label"] == "闪送"


def test_unknown_choices_are_validation_errors(newcomer):
    response = patch(newcomer, {**REGISTRATION, "occupation": "astronaut"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occupation"


def test_later_patches_change_only_what_is_sent(make_worker):
    client = client_for(make_worker())
    response = patch(client, {"is_volunteer": True, "display_name": "小王"})
    body = response.json()
    assert body["display_name"] == "小王" and body["profile"]["is_volunteer"] is True
    assert body["profile"]["occupation"] == "delivery_rider"


def test_a_new_policy_asks_for_consent_again(make_worker, settings):
    client = client_for(make_worker())
    settings.PRIVACY_POLICY_VERSION = "2026-01"
    assert client.get("/api/v1/me").json()["consent_current"] is False
    renewed = patch(client, {"accept_policy_version": "2026-01"}).json()
    assert renewed["consent_current"] is True
    assert AuditEvent.objects.filter(action="consent.give").count() == 2


def test_registration_options_list_choices_and_streets(newcomer):
    body = newcomer.get("/api/v1/me/registration-options?district=360403").json()
    assert {"value": "courier", "label": "快递员"} in body["occupations"]
    assert {"value": "meituan", "label": "美团"} in body["platforms"]
    assert body["streets"] == [{"code": "360403001", "name": "甘棠街道"}]
    assert body["privacy_policy_version"] == "2025-01"


def test_registration_takes_riders_to_ride_and_drivers_to_drive(newcomer, make_worker):
    body = patch(newcomer, REGISTRATION).json()
    assert (body["profile"]["vehicle"], body["profile"]["vehicle_label"]) == ("e_bike", "电动车")

    driver = client_for(make_worker(registered=False, phone="13812345679"))
    body = patch(driver, {**REGISTRATION, "occupation": "truck_driver"}).json()
    assert body["profile"]["vehicle"] == "car"


def test_the_worker_declares_their_vehicle(newcomer):
    patch(newcomer, {**REGISTRATION, "vehicle": "bicycle"})
    assert WorkerProfile.objects.get().vehicle == "bicycle"

    response = patch(newcomer, {"vehicle": "walk"})

    assert response.status_code == 200 and response.json()["profile"]["vehicle"] == "walk"
    assert patch(newcomer, {"vehicle": "rocket"}).status_code == 422


def test_the_vehicle_selector_answers_for_anyone(newcomer, make_worker):
    from dandelion.accounts import selectors

    patch(newcomer, {**REGISTRATION, "vehicle": "car"})
    profile = WorkerProfile.objects.get()

    assert selectors.worker_vehicle(user=profile.user) == "car"
    stranger = make_worker(registered=False, phone="13812345670")
    assert selectors.worker_vehicle(user=stranger) == "e_bike"
