"""Micro-wishes (one pledge at a time, lapsing, no identity on the wall) and problems with
consultations (raised / solved per period)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dandelion.accounts.testing import client_for
from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied
from dandelion.needs import services
from dandelion.needs.models import MicroWish, Problem, ProblemEvent, WishPledge
from dandelion.needs.selectors import problem_stats

pytestmark = pytest.mark.django_db


def _post(user, path, body=None):
    return client_for(user).post(path, body or {}, content_type="application/json")


def test_wall_shows_open_wishes_without_identity(needs_world):
    w = needs_world
    wish = services.wish_create(
        worker=w.worker_x, title="孩子暑假想参加托管班", description="双职工"
    )
    body = client_for(None).get("/api/v1/wishes").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["title"] == "孩子暑假想参加托管班" and row["region"]["name"] == "甘棠街道"
    text = str(body)
    assert "甘棠骑手" not in text and "13800000001" not in text and "worker" not in row
    page = client_for(None).get(f"/wishes/{wish.pk}/").content.decode()
    assert "甘棠骑手" not in page and "138" not in page


def test_wall_and_problem_stats_filter_by_a_city_code(needs_world):
    w = needs_world
    services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    services.problem_create(actor=w.dispatcher_x, title="充电难", region=w.street)
    for code in ("360400", "360403"):
        assert client_for(None).get("/api/v1/wishes", {"region": code}).json()["count"] == 1
        stats = client_for(w.dispatcher_x).get("/api/v1/problems/stats", {"region": code}).json()
        assert stats["raised"] == 1, code
        problems = client_for(w.dispatcher_x).get("/api/v1/problems", {"region": code}).json()
        assert problems["count"] == 1, code
    assert client_for(None).get("/api/v1/wishes", {"region": "360402"}).json()["count"] == 0


def test_pledge_confirm_and_notifications(needs_world):
    w = needs_world
    wish = services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    response = _post(
        w.leader_x,
        f"/api/v1/wishes/{wish.pk}/pledge",
        {"kind": "organisation", "display_name": "甘棠骑手志愿队"},
    )
    assert response.status_code == 201
    assert client_for(None).get("/api/v1/wishes").json()["count"] == 0  # off the wall
    second = _post(
        w.manager_x,
        f"/api/v1/wishes/{wish.pk}/pledge",
        {"kind": "merchant", "display_name": "某商铺"},
    )
    assert second.status_code == 409 and second.json()["state"] == "pledged"
    assert (second.json()["code"], second.json()["entity"]) == ("illegal_transition", "wish")
    assert _post(w.leader_x, f"/api/v1/wishes/{wish.pk}/confirm").status_code == 404  # not theirs
    confirmed = _post(w.worker_x, f"/api/v1/wishes/{wish.pk}/confirm")
    assert confirmed.json()["state"] == "fulfilled"
    assert WishPledge.objects.get().state == "fulfilled"
    assert w.worker_x.notifications.filter(kind="wishes.pledged").exists()
    assert w.leader_x.notifications.filter(kind="wishes.fulfilled").exists()


def test_nobody_pledges_their_own_wish_and_bad_pledges_are_422(needs_world):
    w = needs_world
    wish = services.wish_create(worker=w.worker_x, title="想学电脑")
    with pytest.raises(PermissionDenied) as caught:
        services.wish_pledge(wish=wish, pledger=w.worker_x, kind="volunteer", display_name="我自己")
    assert caught.value.code == "actor_not_allowed"
    assert str(caught.value.message) == "不能认领自己的心愿。"
    bad = _post(
        w.leader_x, f"/api/v1/wishes/{wish.pk}/pledge", {"kind": "volunteer", "display_name": "a"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "display_name"


def test_the_database_allows_one_active_pledge_per_wish(needs_world):
    w = needs_world
    wish = services.wish_create(worker=w.worker_x, title="想要一把雨伞")
    services.wish_pledge(wish=wish, pledger=w.leader_x, kind="volunteer", display_name="志愿者甲")
    with pytest.raises(IntegrityError), transaction.atomic():
        WishPledge.objects.create(
            wish=wish,
            pledger=w.manager_x,
            kind="merchant",
            display_name="商铺乙",
            due_at=timezone.now() + timedelta(days=7),
        )


def test_a_lapsed_pledge_returns_the_wish_to_the_wall(needs_world):
    w = needs_world
    wish = services.wish_create(worker=w.worker_x, title="想要一个保温杯")
    pledge = services.wish_pledge(
        wish=wish, pledger=w.leader_x, kind="volunteer", display_name="志愿者甲"
    )
    assert services.pledges_lapse() == 0
    later = timezone.now() + timedelta(days=8)
    assert services.pledges_lapse(now=later) == 1
    assert services.pledges_lapse(now=later) == 0
    pledge.refresh_from_db()
    wish.refresh_from_db()
    assert pledge.state == "lapsed" and wish.state == "open"
    assert w.leader_x.notifications.filter(kind="wishes.lapsed").count() == 1
    # Back on the wall, someone else may pledge.
    services.wish_pledge(wish=wish, pledger=w.manager_x, kind="merchant", display_name="商铺乙")


def test_withdrawals(needs_world):
    w = needs_world
    wish = services.wish_create(worker=w.worker_x, title="想要一本书")
    pledge = services.wish_pledge(
        wish=wish, pledger=w.leader_x, kind="volunteer", display_name="志愿者甲"
    )
    with pytest.raises(PermissionDenied):
        services.pledge_withdraw(pledge=pledge, actor=w.manager_x)
    services.pledge_withdraw(pledge=pledge, actor=w.leader_x)
    wish.refresh_from_db()
    assert wish.state == "open"
    services.wish_withdraw(wish=wish, actor=w.worker_x)
    with pytest.raises(Conflict) as caught:
        services.wish_withdraw(wish=wish, actor=w.worker_x)
    assert caught.value.code == "illegal_transition"
    assert caught.value.extra["entity"] == "wish" and caught.value.extra["state"] == "withdrawn"
    assert list(wish.events.order_by("id").values_list("action", "actor_role")) == [
        ("pledge", "pledger"),
        ("release", "pledger"),
        ("withdraw", "worker"),
    ]
    assert list(pledge.events.values_list("action", "from_state", "to_state")) == [
        ("give_up", "active", "withdrawn")
    ]


def test_a_need_published_as_a_wish(needs_world, submit):
    w = needs_world
    need = submit()
    response = _post(w.worker_x, "/api/v1/wishes", {"title": "想要托管", "need_id": need.pk})
    assert response.status_code == 201 and response.json()["need_id"] == need.pk
    assert (
        _post(w.worker_l, "/api/v1/wishes", {"title": "想要托管", "need_id": need.pk}).status_code
        == 422
    )
    with pytest.raises(InvalidInput):
        services.wish_create(worker=w.worker_x, title="再来一次", need=need)


def test_a_need_published_twice_at_once_is_refused_not_a_server_error(
    needs_world, submit, monkeypatch
):
    # Given a double tap: the second request checked before the first one's wish committed
    w = needs_world
    need = submit()
    services.wish_create(worker=w.worker_x, title="想要托管", need=need)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    # When it creates its wish, Then the one-wish-per-need constraint answers as the check would
    with pytest.raises(InvalidInput) as caught:
        services.wish_create(worker=w.worker_x, title="想要托管", need=need)
    assert [(e["field"], e["code"]) for e in caught.value.errors] == [("need_id", "already_a_wish")]
    assert str(caught.value.errors[0]["msg"]) == "这条诉求已经发布为微心愿"
    monkeypatch.undo()
    assert MicroWish.objects.filter(need=need).count() == 1


def test_problem_consultation_and_stats(needs_world, submit):
    w = needs_world
    need = submit()
    created = _post(
        w.dispatcher_x,
        "/api/v1/problems",
        {"title": "骑手进小区难", "region": "360403", "need_ids": [need.pk]},
    )
    assert created.status_code == 201, created.content
    problem_id = created.json()["id"]
    assert created.json()["need_ids"] == [need.pk]
    consult = _post(
        w.dispatcher_x,
        f"/api/v1/problems/{problem_id}/consultations",
        {
            "held_on": str(date.today()),
            "department_ids": [w.office_x.pk, w.justice_x.pk],
            "decisions": "物业开放骑手通道",
            "owner_id": w.office_x.pk,
        },
    )
    assert consult.status_code == 201 and consult.json()["owner"]["name"] == "浔阳区人社局"
    bad_owner = _post(
        w.dispatcher_x,
        f"/api/v1/problems/{problem_id}/consultations",
        {
            "held_on": str(date.today()),
            "department_ids": [w.office_x.pk],
            "decisions": "x",
            "owner_id": w.justice_x.pk,
        },
    )
    assert bad_owner.status_code == 422 and bad_owner.json()["errors"][0]["field"] == "owner_id"
    assert (
        _post(
            w.handler_x, f"/api/v1/problems/{problem_id}/close", {"outcome": "solved"}
        ).status_code
        == 403
    )
    closed = _post(
        w.dispatcher_x,
        f"/api/v1/problems/{problem_id}/close",
        {"outcome": "solved", "note": "已开通"},
    )
    assert closed.json()["state"] == "solved"
    again = _post(w.dispatcher_x, f"/api/v1/problems/{problem_id}/close", {"outcome": "solved"})
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["entity"]) == ("illegal_transition", "problem")
    assert list(
        ProblemEvent.objects.filter(problem_id=problem_id).values_list("action", "to_state")
    )[-1] == ("solve", "solved")
    services.problem_create(actor=w.dispatcher_x, title="充电难", region=w.street)
    stats = client_for(w.dispatcher_x).get("/api/v1/problems/stats", {"region": "360403"}).json()
    assert stats == {"raised": 2, "solved": 1, "unsolved": 0, "open": 1}
    assert client_for(w.dispatcher_l).get("/api/v1/problems/stats").json()["raised"] == 0
    assert client_for(w.worker_x).get("/api/v1/problems").json()["count"] == 0


def test_problem_stats_by_period(needs_world):
    w = needs_world
    now = timezone.now()
    old = services.problem_create(
        actor=w.dispatcher_x, title="旧问题", region=w.xunyang, now=now - timedelta(days=400)
    )
    services.problem_close(
        problem=old, actor=w.dispatcher_x, outcome="solved", now=now - timedelta(days=2)
    )
    services.problem_create(actor=w.dispatcher_x, title="新问题", region=w.xunyang, now=now)
    recent = problem_stats(
        actor=w.dispatcher_x, start=now - timedelta(days=30), end=now + timedelta(days=1)
    )
    assert recent == {"raised": 1, "solved": 1, "unsolved": 0, "open": 1}


def test_problems_outside_the_region_are_refused(needs_world):
    w = needs_world
    with pytest.raises(InvalidInput) as caught:
        services.problem_create(actor=w.dispatcher_x, title="濂溪的问题", region=w.lianxi)
    assert caught.value.errors[0]["field"] == "region"
    assert not Problem.objects.exists() and not MicroWish.objects.exists()


def test_ids_too_large_for_the_database_are_unknown_not_a_server_error(needs_world):
    w = needs_world
    huge = 2**70
    created = _post(
        w.dispatcher_x,
        "/api/v1/problems",
        {"title": "骑手进小区难", "region": "360403", "need_ids": [huge]},
    )
    assert created.status_code == 422 and created.json()["errors"][0]["field"] == "need_ids"
    problem = services.problem_create(actor=w.dispatcher_x, title="充电难", region=w.street)
    consult = _post(
        w.dispatcher_x,
        f"/api/v1/problems/{problem.pk}/consultations",
        {"held_on": "2026-01-05", "department_ids": [huge], "decisions": "再议"},
    )
    assert consult.status_code == 422
    assert consult.json()["errors"][0]["field"] == "department_ids"
    page = client_for(w.dispatcher_x).post(
        "/console/needs/problems/new/",
        {"title": "骑手进小区难", "region": "360403", "need_ids": str(huge)},
    )
    assert page.status_code == 422
    assert Problem.objects.count() == 1
