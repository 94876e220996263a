"""Wishes a region reviews before its wall shows them (微心愿审核): unseen while waiting, approved
onto the wall or rejected with the reason the author is told, by the region's own staff."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.needs import services
from dandelion.needs.models import MicroWish, WishReviewPolicy

pytestmark = pytest.mark.django_db


def _post(user, path, body=None):
    return client_for(user).post(path, body or {}, content_type="application/json")


@pytest.fixture
def reviewed(needs_world):
    """浔阳区 reviews its wishes; 濂溪区 does not."""
    WishReviewPolicy.objects.create(region=needs_world.xunyang, review_required=True)
    return needs_world


def test_without_a_policy_a_wish_goes_straight_on_the_wall(needs_world):
    wish = services.wish_create(worker=needs_world.worker_x, title="想要一个新头盔")
    assert wish.state == MicroWish.State.OPEN
    assert client_for(None).get("/api/v1/wishes").json()["count"] == 1


def test_a_street_can_switch_off_its_citys_review(reviewed):
    WishReviewPolicy.objects.create(region=reviewed.street, review_required=False)
    wish = services.wish_create(worker=reviewed.worker_x, title="想要一个新头盔")
    assert wish.state == MicroWish.State.OPEN


def test_a_waiting_wish_is_seen_by_its_author_only_until_approved(reviewed):
    w = reviewed
    wish = services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    assert wish.state == MicroWish.State.PENDING_REVIEW
    anyone = client_for(None)
    assert anyone.get("/api/v1/wishes").json()["count"] == 0
    assert anyone.get(f"/api/v1/wishes/{wish.pk}").status_code == 404
    assert anyone.get(f"/wishes/{wish.pk}/").status_code == 404
    assert client_for(w.worker_l).get(f"/wishes/{wish.pk}/").status_code == 404
    own = client_for(w.worker_x).get(f"/wishes/{wish.pk}/").content.decode()
    assert "等待街道审核" in own and "撤回心愿" in own
    mine = client_for(w.worker_x).get("/api/v1/wishes/mine").json()
    assert mine["items"][0]["state"] == "pending_review"

    queue = client_for(w.dispatcher_x).get("/api/v1/wishes/review").json()
    assert [row["id"] for row in queue["items"]] == [wish.pk]
    approved = _post(w.dispatcher_x, f"/api/v1/wishes/{wish.pk}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "open"
    assert anyone.get("/api/v1/wishes").json()["count"] == 1
    assert w.worker_x.notifications.filter(kind="wishes.approved").count() == 1
    again = _post(w.dispatcher_x, f"/api/v1/wishes/{wish.pk}/approve")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_a_rejection_needs_a_reason_and_tells_the_author(reviewed):
    w = reviewed
    wish = services.wish_create(worker=w.worker_x, title="想要一部新手机")
    refused = _post(w.admin_x, f"/api/v1/wishes/{wish.pk}/reject", {"reason": "  "})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    done = _post(w.admin_x, f"/api/v1/wishes/{wish.pk}/reject", {"reason": "超出微心愿的范围"})
    assert done.status_code == 200 and done.json()["state"] == "rejected"
    note = w.worker_x.notifications.get(kind="wishes.rejected")
    assert "超出微心愿的范围" in str(note.params)
    page = client_for(w.worker_x).get(f"/wishes/{wish.pk}/").content.decode()
    assert "心愿未通过审核：超出微心愿的范围" in page
    assert client_for(None).get(f"/api/v1/wishes/{wish.pk}").status_code == 404


def test_only_the_regions_reviewers_review(reviewed):
    w = reviewed
    wish = services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    # 濂溪's dispatcher reviews elsewhere: the wish is unknown to them; a worker may not review.
    assert _post(w.dispatcher_l, f"/api/v1/wishes/{wish.pk}/approve").status_code == 404
    assert _post(w.worker_l, f"/api/v1/wishes/{wish.pk}/approve").status_code == 403
    assert _post(w.worker_x, f"/api/v1/wishes/{wish.pk}/approve").status_code == 403
    assert client_for(w.dispatcher_l).get("/api/v1/wishes/review").json()["count"] == 0
    assert client_for(w.worker_x).get("/api/v1/wishes/review").status_code == 403
    wish.refresh_from_db()
    assert wish.state == MicroWish.State.PENDING_REVIEW


def test_the_author_withdraws_a_waiting_wish(reviewed):
    wish = services.wish_create(worker=reviewed.worker_x, title="想要一个新头盔")
    services.wish_withdraw(wish=wish, actor=reviewed.worker_x)
    wish.refresh_from_db()
    assert wish.state == MicroWish.State.WITHDRAWN


def test_the_console_queue_approves_and_rejects(reviewed, django_assert_max_num_queries):
    w = reviewed
    first = services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    second = services.wish_create(worker=w.worker_x, title="想要一部新手机")
    client = client_for(w.dispatcher_x)
    home = client.get("/console/").content.decode()
    assert "心愿审核" in home
    with django_assert_max_num_queries(12):
        page = client.get("/console/needs/wishes/").content.decode()
    assert "想要一个新头盔" in page and "想要一部新手机" in page
    client.post(f"/console/needs/wishes/{first.pk}/review/", {"decision": "approve"})
    kept = client.post(f"/console/needs/wishes/{second.pk}/review/", {"decision": "reject"})
    assert kept.status_code == 302
    second.refresh_from_db()
    assert second.state == MicroWish.State.PENDING_REVIEW  # no reason: nothing changed
    client.post(
        f"/console/needs/wishes/{second.pk}/review/", {"decision": "reject", "reason": "重复"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (MicroWish.State.OPEN, MicroWish.State.REJECTED)
    assert "没有等待审核的心愿" in client.get("/console/needs/wishes/").content.decode()
    assert client_for(w.worker_x).get("/console/needs/wishes/").status_code == 403
