"""Submissions of needs and micro-wishes are limited per person (429 with Retry-After, nothing
stored), on the API and the H5 forms; photos are decoded before the transaction opens."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from dandelion.accounts.testing import client_for
from dandelion.core.photos import decoding_slot
from dandelion.needs import photos
from dandelion.needs.models import MicroWish, Need, NeedEvent, NeedPhoto

pytestmark = pytest.mark.django_db

TOO_OFTEN = "提交太频繁了，请稍后再试。"
FORM = {
    "item": "labour_mediation",
    "description": "平台拖欠了我两个月的工资",
    "q_dispute": "wages",
    "q_amount": "1200",
    "address": "甘棠北路 8 号",
}


@pytest.fixture
def two_in_ten_minutes(settings, tmp_path):
    settings.SUBMISSION_RATES = "2/600"
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _jpeg(size=(40, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, "blue").save(out, format="JPEG")
    return out.getvalue()


def _png(size) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, "green").save(out, format="PNG")
    return out.getvalue()


def _api_need(user, **body):
    return client_for(user).post(
        "/api/v1/needs",
        {"item": "labour_mediation", "description": "欠薪两个月", "answers": {"dispute": "wages"}}
        | body,
        content_type="application/json",
    )


def _api_wish(user, title):
    return client_for(user).post(
        "/api/v1/wishes", {"title": title}, content_type="application/json"
    )


def test_the_api_refuses_the_third_need_in_the_window_and_stores_nothing(
    needs_world, two_in_ten_minutes
):
    w = needs_world
    first = _api_need(w.worker_x, client_token="t1")
    assert first.status_code == 201
    assert _api_need(w.worker_x).status_code == 201
    events = NeedEvent.objects.count()

    refused = _api_need(w.worker_x, description="又一条")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 600
    body = refused.json()
    assert body["code"] == "rate_limited" and body["detail"] == TOO_OFTEN
    assert Need.objects.count() == 2 and NeedEvent.objects.count() == events

    # A retry of a need already stored is not a new submission: it still answers.
    retried = _api_need(w.worker_x, client_token="t1")
    assert retried.status_code == 200 and retried.json()["id"] == first.json()["id"]
    # Another worker has their own count.
    assert _api_need(w.worker_l, item=None, answers={}).status_code == 201


def test_a_refused_need_counts_nothing(needs_world, two_in_ten_minutes):
    w = needs_world
    assert _api_need(w.worker_x, description="x").status_code == 422
    assert _api_need(w.worker_x).status_code == 201
    assert _api_need(w.worker_x).status_code == 201
    assert _api_need(w.worker_x).status_code == 429


def test_the_api_refuses_the_third_wish_in_the_window_and_stores_nothing(
    needs_world, two_in_ten_minutes
):
    w = needs_world
    assert _api_wish(w.worker_x, "想要一个新头盔").status_code == 201
    assert _api_wish(w.worker_x, "想要一副手套").status_code == 201
    refused = _api_wish(w.worker_x, "想要一件雨衣")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 600
    assert refused.json()["code"] == "rate_limited"
    assert list(MicroWish.objects.order_by("pk").values_list("title", flat=True)) == [
        "想要一个新头盔",
        "想要一副手套",
    ]
    # needs and wishes count apart
    assert _api_need(w.worker_x).status_code == 201


def test_the_h5_form_keeps_every_input_and_says_why_on_top(
    needs_world, two_in_ten_minutes, monkeypatch
):
    client = client_for(needs_world.worker_x)
    for token in ("h1", "h2"):
        assert client.post("/needs/new/", {**FORM, "client_token": token}).status_code == 302

    # The third, with a photo: refused before the photo is decoded, and nothing stored.
    decoded = []
    monkeypatch.setattr(
        photos, "photos_process", lambda *a, **k: decoded.append(1) or pytest.fail("decoded")
    )
    refused = client.post(
        "/needs/new/",
        {**FORM, "client_token": "h3", "photos": [SimpleUploadedFile("a.jpg", _jpeg())]},
    )
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 600
    page = refused.content.decode()
    assert 'class="form-error form-error_top"' in page and TOO_OFTEN in page
    assert "请检查标红的项目" not in page  # no field is at fault
    for kept in ("平台拖欠了我两个月的工资", 'value="1200"', 'value="甘棠北路 8 号"', 'value="h3"'):
        assert kept in page
    assert 'value="wages" checked' in page
    assert decoded == []
    assert Need.objects.count() == 2 and not NeedPhoto.objects.exists()
    assert _files(two_in_ten_minutes) == []


def test_the_h5_wish_form_keeps_its_input(needs_world, two_in_ten_minutes):
    client = client_for(needs_world.worker_x)
    assert client.post("/wishes/new/", {"title": "想要一个新头盔"}).status_code == 302
    assert client.post("/wishes/new/", {"title": "想要一副手套"}).status_code == 302
    refused = client.post("/wishes/new/", {"title": "想要一件雨衣", "description": "下雨天用"})
    assert refused.status_code == 429 and "Retry-After" in refused
    page = refused.content.decode()
    assert TOO_OFTEN in page and "想要一件雨衣" in page and "下雨天用" in page
    assert MicroWish.objects.count() == 2


def test_photos_busy_is_a_429_that_keeps_the_input(needs_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_DECODE_WAIT_SECONDS = 0
    # Given another request decoding big photos (the only slot taken),
    with decoding_slot():
        # when a worker sends a photo big enough to need a slot,
        refused = client_for(needs_world.worker_x).post(
            "/needs/new/",
            {**FORM, "photos": [SimpleUploadedFile("big.png", _png((2100, 2000)))]},
        )
    # then they are told to try again in a moment, their input kept, nothing stored.
    assert refused.status_code == 429 and refused["Retry-After"] == "2"
    page = refused.content.decode()
    assert "正在处理其他照片，请稍后再提交。" in page and "平台拖欠了我两个月的工资" in page
    assert not Need.objects.exists() and _files(tmp_path) == []


def test_photos_are_decoded_before_the_transaction_opens(
    needs_world, settings, tmp_path, monkeypatch
):
    """A long decode must not hold the database's write lock (SQLite takes it at BEGIN)."""
    settings.MEDIA_ROOT = tmp_path
    process = photos.photos_process
    depths = []

    def recording(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return process(*args, **kwargs)

    monkeypatch.setattr(photos, "photos_process", recording)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    done = client_for(needs_world.worker_x).post(
        "/needs/new/", {**FORM, "photos": [SimpleUploadedFile("a.jpg", _jpeg())]}
    )
    assert done.status_code == 302
    assert depths == [outside]
    assert Need.objects.get().photos.count() == 1


def test_photos_of_a_form_with_bad_fields_are_not_decoded(needs_world, settings, monkeypatch):
    decoded = []
    monkeypatch.setattr(photos, "photos_process", lambda *a, **k: decoded.append(1) or [])
    refused = client_for(needs_world.worker_x).post(
        "/needs/new/",
        {**FORM, "description": "", "photos": [SimpleUploadedFile("a.jpg", _jpeg())]},
    )
    assert refused.status_code == 422 and decoded == []
