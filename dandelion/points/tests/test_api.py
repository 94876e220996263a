"""The points API and pages: who may do what, the error shape, idempotent redemption over HTTP,
query counts of the lists."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.points.models import Redemption, Reward
from dandelion.points.services import award_by_rule, reward_redeem

pytestmark = pytest.mark.django_db


def _fund(user, n=1):
    for i in range(n):
        award_by_rule(
            user=user,
            event="report_accepted",
            region_code="360403",
            source_key=f"api-fund:{user.pk}:{i}",
        )


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def test_me_points_shows_the_balance_and_paged_history(ledger):
    _fund(ledger.worker, 3)
    client = client_for(ledger.worker)
    body = client.get("/api/v1/me/points?page_size=2").json()
    assert body["balance"] == 60 and body["count"] == 3 and len(body["items"]) == 2
    assert body["items"][0]["amount"] == 20 and body["items"][0]["reason"] == "award"
    assert body["items"][0]["memo"] == "随手拍被采纳"
    second = client.get("/api/v1/me/points?page=2&page_size=2").json()
    assert len(second["items"]) == 1
    _problem(client.get("/api/v1/me/points?page=0"), 422, "validation_error")
    _problem(client_for(None).get("/api/v1/me/points"), 401, "not_authenticated")


def test_me_points_query_count_does_not_grow(ledger):
    client = client_for(ledger.worker)
    _fund(ledger.worker, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/me/points")
    _fund(ledger.worker, 1)
    award_by_rule(user=ledger.worker, event="station_visit", region_code="360403", source_key="sv1")
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/me/points")
    assert len(more) == len(few) <= 8


def test_rewards_list_is_public_and_paged(ledger, django_assert_max_num_queries):
    for i in range(4):
        Reward.objects.create(
            title=f"商品{i}",
            kind="other",
            station=ledger.station,
            region=ledger.station.region,
            city_code="360400",
            price=5 + i,
            stock=3,
            valid_from=ledger.reward.valid_from,
            valid_until=ledger.reward.valid_until,
        )
    with django_assert_max_num_queries(3):
        body = client_for(None).get("/api/v1/rewards?page_size=3").json()
    assert body["count"] == 5 and len(body["items"]) == 3
    assert body["items"][0]["provider"] == {
        "kind": "station",
        "id": ledger.station.pk,
        "name": "甘棠驿站",
        "address": ledger.station.address,
    }
    assert client_for(None).get("/api/v1/rewards?region=360402").json()["count"] == 0
    missing = _problem(client_for(None).get("/api/v1/rewards/99999"), 404, "not_found")
    assert missing["entity"] == "reward"


def test_redeem_needs_an_idempotency_key_and_replays_safely(ledger):
    _fund(ledger.worker)
    client = client_for(ledger.worker)
    url = f"/api/v1/rewards/{ledger.reward.pk}/redeem"
    body = _problem(client.post(url), 422, "idempotency_key_required")
    assert body["errors"][0]["field"] == "Idempotency-Key"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="tap-1")
    assert first.status_code == 201
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="tap-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    redemption = first.json()
    assert redemption["status"] == "issued" and redemption["qr_svg"].startswith("<svg")
    assert Redemption.objects.count() == 1
    assert client.get("/api/v1/me/points").json()["balance"] == 10
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="tap-2").status_code == 201
    _problem(client.post(url, HTTP_IDEMPOTENCY_KEY="tap-3"), 409, "per_person_limit")
    Reward.objects.filter(pk=ledger.reward.pk).update(per_person_limit=5)
    _problem(client.post(url, HTTP_IDEMPOTENCY_KEY="tap-4"), 409, "insufficient_points")


def test_redeem_conflicts_name_the_problem(ledger):
    _fund(ledger.worker, 2)
    Reward.objects.filter(pk=ledger.reward.pk).update(stock=0)
    client = client_for(ledger.worker)
    _problem(
        client.post(f"/api/v1/rewards/{ledger.reward.pk}/redeem", HTTP_IDEMPOTENCY_KEY="a"),
        409,
        "out_of_stock",
    )
    _problem(
        client.post("/api/v1/rewards/424242/redeem", HTTP_IDEMPOTENCY_KEY="a"),
        404,
        "not_found",
    )


def _code_at_station_x(ledger, world, key="z") -> Redemption:
    reward = Reward.objects.create(
        title="热饮",
        kind="drink",
        station=world.station_x,
        region=world.station_x.region,
        city_code="360400",
        price=10,
        stock=5,
        valid_from=ledger.reward.valid_from,
        valid_until=ledger.reward.valid_until,
    )
    _fund(ledger.worker)
    redemption, _ = reward_redeem(reward_id=reward.pk, user=ledger.worker, idempotency_key=key)
    return redemption


UNKNOWN_CODE = "ZZZZ2345"
FULFIL = "/api/v1/redemptions/fulfil"


def _fulfil(user, code):
    return client_for(user).post(FULFIL, {"code": code}, content_type="application/json")


def test_fulfil_refuses_alike_whether_or_not_the_code_exists(ledger, world):
    """Who may not fulfil a code cannot tell an existing code from an unknown one: no role
    that fulfils anywhere is 403 for any code; another station's manager gets the 404 an
    unknown code gets; the two bodies are the same, byte for byte."""
    redemption = _code_at_station_x(ledger, world)
    for user in (ledger.worker, world.auditor_x):
        existing, unknown = _fulfil(user, redemption.code), _fulfil(user, UNKNOWN_CODE)
        _problem(existing, 403, "permission_denied")
        assert existing.content == unknown.content
    for user in (world.manager_l, world.admin_l):
        existing, unknown = _fulfil(user, redemption.code), _fulfil(user, UNKNOWN_CODE)
        body = _problem(existing, 404, "not_found")
        assert body["entity"] == "redemption" and existing.content == unknown.content
    # The right station's manager: the same 404 for an unknown code, and the code is theirs.
    unknown_here = _fulfil(world.manager_x, UNKNOWN_CODE)
    assert unknown_here.content == _fulfil(world.manager_l, redemption.code).content
    redemption.refresh_from_db()
    assert redemption.status == "issued" and not redemption.events.exclude(action="issue")
    ok = _fulfil(world.manager_x, redemption.code.lower())
    assert ok.status_code == 200 and ok.json()["status"] == "fulfilled"
    assert ok.json()["reward"]["provider"]["id"] == world.station_x.pk
    again = _problem(_fulfil(world.manager_x, redemption.code), 409, "illegal_transition")
    assert again["entity"] == "redemption" and again["state"] == "fulfilled"
    # A used code elsewhere still reads as no such code.
    assert _fulfil(world.manager_l, redemption.code).content == unknown_here.content


def test_fulfil_refuses_a_caller_without_the_role_before_looking_the_code_up(ledger, world):
    redemption = _code_at_station_x(ledger, world)
    client = client_for(ledger.worker)
    client.get("/api/v1/auth/session")  # the session and the user are loaded from here on
    with CaptureQueriesContext(connection) as queries:
        refused = client.post(FULFIL, {"code": redemption.code}, content_type="application/json")
    assert refused.status_code == 403
    assert not [q for q in queries if "points_redemption" in q["sql"]]


def test_fulfil_input_problems(ledger, world):
    _problem(_fulfil(world.manager_x, ""), 422, "validation_error")
    body = _problem(_fulfil(world.manager_x, "- -"), 422, "required")
    assert body["errors"][0]["field"] == "code"
    # No role: refused before the input is read.
    _problem(_fulfil(ledger.worker, "- -"), 403, "permission_denied")


def test_my_redemptions_and_cancel(ledger, django_assert_max_num_queries):
    _fund(ledger.worker, 2)
    client = client_for(ledger.worker)
    for key in ("a", "b"):
        reward_redeem(reward_id=ledger.reward.pk, user=ledger.worker, idempotency_key=key)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/me/redemptions").json()
    assert body["count"] == 2
    rid = body["items"][0]["id"]
    cancelled = client.post(f"/api/v1/redemptions/{rid}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = _problem(client.post(f"/api/v1/redemptions/{rid}/cancel"), 409, "illegal_transition")
    assert again["entity"] == "redemption" and again["state"] == "cancelled"


def test_manual_awards_and_reversals_are_for_region_admins(ledger, world):
    payload = {
        "user_id": ledger.worker.pk,
        "event": "training_attended",
        "region_code": "360403",
        "reference": "2025-06 急救培训",
    }
    _problem(
        client_for(world.admin_l).post(
            "/api/v1/points/awards", payload, content_type="application/json"
        ),
        403,
        "permission_denied",
    )
    _problem(
        client_for(ledger.worker).post(
            "/api/v1/points/awards", payload, content_type="application/json"
        ),
        403,
        "permission_denied",
    )
    made = client_for(world.admin_x).post(
        "/api/v1/points/awards", payload, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["points"] == 15
    again = client_for(world.admin_x).post(
        "/api/v1/points/awards", payload, content_type="application/json"
    )
    assert again.status_code == 200 and not again.json()["created"]
    tid = made.json()["transfer_id"]
    # Transfers move people's points: who may not correct one cannot tell whether it exists.
    for user, status, code in (
        (world.admin_l, 404, "not_found"),
        (ledger.worker, 403, "permission_denied"),
        (world.manager_x, 403, "permission_denied"),
    ):
        client = client_for(user)
        existing, unknown = (
            client.post(
                f"/api/v1/points/transfers/{pk}/reverse",
                {"memo": "x"},
                content_type="application/json",
            )
            for pk in (tid, 999_999)
        )
        _problem(existing, status, code)
        assert existing.content == unknown.content
    reversed_ = client_for(world.admin_x).post(
        f"/api/v1/points/transfers/{tid}/reverse", {"memo": "误发"}, content_type="application/json"
    )
    assert reversed_.status_code == 200 and reversed_.json()["reverses_id"] == tid
    _problem(
        client_for(world.admin_x).post(
            f"/api/v1/points/transfers/{tid}/reverse",
            {"memo": "再次"},
            content_type="application/json",
        ),
        409,
        "already_reversed",
    )
    missing = _problem(
        client_for(world.admin_x).post(
            "/api/v1/points/transfers/999999/reverse",
            {"memo": "x"},
            content_type="application/json",
        ),
        404,
        "not_found",
    )
    assert missing["entity"] == "transfer"
    bad = dict(payload, region_code="999999")
    _problem(
        client_for(world.admin_x).post(
            "/api/v1/points/awards", bad, content_type="application/json"
        ),
        422,
        "unknown_region",
    )


def test_h5_pages(ledger):
    _fund(ledger.worker)
    client = client_for(ledger.worker)
    page = client.get("/points/")
    assert page.status_code == 200 and "随手拍被采纳" in page.content.decode()
    shop = client.get("/rewards/").content.decode()
    assert "矿泉水" in shop and "甘棠驿站" in shop
    detail = client.get(f"/rewards/{ledger.reward.pk}/").content.decode()
    key = detail.split('name="idempotency_key" value="')[1].split('"')[0]
    done = client.post(f"/rewards/{ledger.reward.pk}/redeem/", {"idempotency_key": key})
    assert done.status_code == 302
    code = Redemption.objects.get().code
    assert done["Location"] == f"/rewards/codes/{code}/"
    again = client.post(f"/rewards/{ledger.reward.pk}/redeem/", {"idempotency_key": key})
    assert again["Location"] == done["Location"] and Redemption.objects.count() == 1
    shown = client.get(done["Location"]).content.decode()
    assert code in shown and "<svg" in shown
    # Not enough points: the form is shown again with the reason.
    Reward.objects.filter(pk=ledger.reward.pk).update(price=50)
    refused = client.post(f"/rewards/{ledger.reward.pk}/redeem/", {"idempotency_key": "other"})
    assert refused.status_code == 409 and "积分不足" in refused.content.decode()
    assert client_for(None).get("/points/").status_code == 302


def test_the_reward_page_says_what_is_missing_before_the_tap(ledger):
    """Without enough points the button is off and says how many are missing; the pickup place
    has its address and navigation beside its label."""
    client = client_for(ledger.worker)
    short = client.get(f"/rewards/{ledger.reward.pk}/").content.decode()
    button = short.split('class="weui-btn weui-btn_primary redeem-button"')[1].split(">")[0]
    assert "disabled" in button
    assert f"还差 {ledger.reward.price} 积分" in short
    assert "pts-place__address" in short and "nav-buttons" in short
    _fund(ledger.worker)
    enough = client.get(f"/rewards/{ledger.reward.pk}/").content.decode()
    button = enough.split('class="weui-btn weui-btn_primary redeem-button"')[1].split(">")[0]
    assert "disabled" not in button and "还差" not in enough


def _page_text(response, code: str) -> str:
    """The page as the caller reads it, with what differs between any two renderings (the code
    typed, the CSRF token, the moment the live stream starts from) set aside."""
    text = response.content.decode().replace(code, "CODE")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'data-stream="[^"]*"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def test_console_fulfil_page(ledger, world):
    redemption = _code_at_station_x(ledger, world, key="c")
    manager = client_for(world.manager_x)
    preview = manager.get(f"/console/points/fulfil/?code={redemption.code.lower()}")
    assert "热饮" in preview.content.decode() and "确认核销" in preview.content.decode()
    done = manager.post("/console/points/fulfil/", {"code": redemption.code, "confirm": "1"})
    assert done.status_code == 302
    redemption.refresh_from_db()
    assert redemption.status == "fulfilled" and redemption.fulfilled_by == world.manager_x
    listed = manager.get("/console/points/fulfil/").content.decode()
    assert redemption.code in listed


def test_console_fulfil_page_refuses_alike_whether_or_not_the_code_exists(ledger, world):
    redemption = _code_at_station_x(ledger, world, key="c")
    url = "/console/points/fulfil/"
    # Another station's manager: looking a code up and confirming it read the same for a
    # code of station x as for no code at all.
    other = client_for(world.manager_l)
    for ask in (
        lambda code: other.get(f"{url}?code={code}"),
        lambda code: other.post(url, {"code": code, "confirm": "1"}),
    ):
        existing, unknown = ask(redemption.code), ask(UNKNOWN_CODE)
        assert existing.status_code == unknown.status_code == 200
        assert "不属于你负责的驿站或商户" in existing.content.decode()
        assert _page_text(existing, redemption.code) == _page_text(unknown, UNKNOWN_CODE)
    # The right manager sees the same sentence for an unknown code.
    here = client_for(world.manager_x).get(f"{url}?code={UNKNOWN_CODE}")
    assert _page_text(here, UNKNOWN_CODE) == _page_text(
        other.get(f"{url}?code={redemption.code}"), redemption.code
    ).replace("十里站长", "甘棠站长")
    redemption.refresh_from_db()
    assert redemption.status == "issued"
    # No role that fulfils anywhere (a worker; staff such as an auditor or a dispatcher): 403
    # for any code, existing or not, looked up or confirmed.
    for user in (ledger.worker, world.auditor_x, world.dispatcher_x):
        client = client_for(user)
        for ask in (
            lambda code, client=client: client.get(f"{url}?code={code}"),
            lambda code, client=client: client.post(url, {"code": code, "confirm": "1"}),
        ):
            existing, unknown = ask(redemption.code), ask(UNKNOWN_CODE)
            assert existing.status_code == unknown.status_code == 403
            assert _page_text(existing, redemption.code) == _page_text(unknown, UNKNOWN_CODE)
    redemption.refresh_from_db()
    assert redemption.status == "issued"


def test_console_rewards_pages(ledger, world):
    manager = client_for(world.manager_x)
    listing = manager.get("/console/points/rewards/")
    assert listing.status_code == 200
    form = manager.get("/console/points/rewards/new/").content.decode()
    assert f"station:{world.station_x.pk}" in form and f"station:{world.station_l.pk}" not in form
    bad = manager.post(
        "/console/points/rewards/new/",
        {
            "provider": f"station:{world.station_x.pk}",
            "title": "洗衣券",
            "kind": "other",
            "price": "0",
            "stock": "5",
            "per_person_limit": "1",
            "valid_from": "2025-01-01T00:00",
            "valid_until": "2030-01-01T00:00",
            "claim_days": "7",
            "is_active": "on",
        },
    )
    assert bad.status_code == 200 and 'id="price-error"' in bad.content.decode()
    assert 'value="洗衣券"' in bad.content.decode()
    ok = manager.post(
        "/console/points/rewards/new/",
        {
            "provider": f"station:{world.station_x.pk}",
            "title": "洗衣券",
            "kind": "other",
            "price": "30",
            "stock": "5",
            "per_person_limit": "1",
            "valid_from": "2025-01-01T00:00",
            "valid_until": "2030-01-01T00:00",
            "claim_days": "7",
            "is_active": "on",
        },
    )
    assert ok.status_code == 302
    reward = Reward.objects.get(title="洗衣券")
    assert reward.station == world.station_x
    edit = manager.post(
        f"/console/points/rewards/{reward.pk}/",
        {
            "title": "洗衣券",
            "kind": "other",
            "price": "30",
            "stock": "12",
            "per_person_limit": "1",
            "valid_from": "2025-01-01T00:00",
            "valid_until": "2030-01-01T00:00",
            "claim_days": "7",
            "is_active": "on",
        },
    )
    assert edit.status_code == 302
    reward.refresh_from_db()
    assert reward.stock == 12
    other = client_for(world.manager_l).get(f"/console/points/rewards/{reward.pk}/")
    assert other.status_code == 404


def test_problems_speak_the_readers_language(ledger):
    client = client_for(ledger.worker)
    url = f"/api/v1/rewards/{ledger.reward.pk}/redeem"
    chinese = _problem(client.post(url, HTTP_IDEMPOTENCY_KEY="zh"), 409, "insufficient_points")
    assert chinese["detail"] == "积分不足：需要 10，现有 0。"
    english = _problem(
        client.post(url, HTTP_IDEMPOTENCY_KEY="en", HTTP_ACCEPT_LANGUAGE="en"),
        409,
        "insufficient_points",
    )
    assert english["detail"] == "Not enough points: 10 needed, 0 held."
    assert english["needed"] == 10 and english["balance"] == 0
