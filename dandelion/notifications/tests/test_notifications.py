"""The inbox and the outside channels: written with the sender's transaction, sent after
commit, once, in the reader's language."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_lazy

from dandelion.accounts import sms
from dandelion.accounts.testing import client_for
from dandelion.notifications import channels
from dandelion.notifications.kinds import register_kind, render
from dandelion.notifications.models import Delivery, Notification
from dandelion.notifications.services import (
    MAX_ATTEMPTS,
    delivery_send,
    notification_send,
)

pytestmark = pytest.mark.django_db

register_kind(
    "tests.hello",
    title=gettext_lazy("你好，{name}"),
    body=gettext_lazy("有新消息"),
)


@pytest.fixture
def sms_channel(settings):
    settings.NOTIFICATION_CHANNELS = ["sms"]


def test_inbox_row_per_recipient_rendered_in_the_readers_language(make_user):
    a, b = make_user(), make_user()
    notification_send(recipients=[a, b, a], kind="tests.hello", params={"name": "小王"}, url="/x/")
    assert Notification.objects.filter(recipient=a).count() == 1
    assert Notification.objects.filter(recipient=b).count() == 1
    assert render("tests.hello", {"name": "小王"})[0] == "你好，小王"
    with translation.override("en"):
        assert render("tests.hello", {"name": "Wang"}) == ("Hello, Wang", "You have a new message")


def test_unknown_kind_and_missing_parameter_do_not_break_rendering():
    assert render("nobody.registered", {}) == ("nobody.registered", "")
    assert render("tests.hello", {}) == ("你好，{name}", "有新消息")


def test_no_outside_delivery_unless_enabled(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(recipients=[user], kind="tests.hello", params={"name": "x"})
    assert len(callbacks) == 1  # only the live stream's wake-up
    assert not Delivery.objects.exists()
    assert sms.outbox == []


def test_sms_is_sent_after_commit_once(make_user, sms_channel, django_capture_on_commit_callbacks):
    user = make_user(phone="13800138000")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(recipients=[user], kind="tests.hello", params={"name": "x"})
    # Nothing leaves before the transaction commits.
    assert sms.outbox == []
    for callback in callbacks:
        callback()
    assert [m.phone for m in sms.outbox] == ["13800138000"]
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    # A task that runs again sends nothing more.
    assert delivery_send(delivery_id=delivery.pk) == "nothing to do"
    assert len(sms.outbox) == 1


def test_rollback_sends_nothing(make_user, sms_channel, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notification_send(recipients=[user], kind="tests.hello", params={"name": "x"})
                raise RuntimeError("the sender failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert sms.outbox == []


def test_failed_delivery_is_retried_then_given_up(make_user, settings, monkeypatch):
    settings.NOTIFICATION_CHANNELS = ["wechat"]
    settings.WECHAT_GATEWAY_URL = ""  # not configured: every attempt fails
    user = make_user()
    (notification,) = notification_send(recipients=[user], kind="tests.hello", params={})
    delivery = Delivery.objects.get(notification=notification)
    for _ in range(MAX_ATTEMPTS - 1):
        assert delivery_send(delivery_id=delivery.pk) == "failed"
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.PENDING
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "WECHAT_GATEWAY_URL" in delivery.last_error


def test_wechat_channel_hands_the_message_over(make_user, settings):
    settings.NOTIFICATION_CHANNELS = ["wechat"]
    settings.WECHAT_GATEWAY_URL = "locmem"
    channels.wechat_outbox.clear()
    user = make_user()
    (notification,) = notification_send(
        recipients=[user], kind="tests.hello", params={"name": "李"}, url="/needs/1/"
    )
    delivery = Delivery.objects.get(notification=notification)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert channels.wechat_outbox == [
        {
            "user_id": user.pk,
            "kind": "tests.hello",
            "title": "你好，李",
            "body": "有新消息",
            "url": "/needs/1/",
        }
    ]


def test_inactive_recipient_is_skipped(make_user, sms_channel):
    user = make_user()
    (notification,) = notification_send(recipients=[user], kind="tests.hello", params={})
    user.is_active = False
    user.save()
    delivery = Delivery.objects.get(notification=notification)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert sms.outbox == []


class TestApi:
    def test_list_count_and_mark_read(self, make_user):
        user, other = make_user(), make_user()
        for n in range(3):
            notification_send(recipients=[user], kind="tests.hello", params={"name": n})
        notification_send(recipients=[other], kind="tests.hello", params={"name": "other"})
        client = client_for(user)
        body = client.get("/api/v1/notifications").json()
        assert body["count"] == 3
        assert [item["title"] for item in body["items"]] == ["你好，2", "你好，1", "你好，0"]
        assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 3}

        first = body["items"][0]["id"]
        response = client.post(f"/api/v1/notifications/{first}/read")
        assert response.status_code == 200 and response.json()["is_read"] is True
        assert client.get("/api/v1/notifications?unread=true").json()["count"] == 2
        assert client.post("/api/v1/notifications/read-all").json() == {"marked": 2}
        assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}

    def test_someone_elses_notification_is_not_found(self, make_user):
        user, other = make_user(), make_user()
        (theirs,) = notification_send(recipients=[other], kind="tests.hello", params={})
        response = client_for(user).post(f"/api/v1/notifications/{theirs.pk}/read")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"
        assert response.json()["entity"] == "notification"
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_anonymous_is_refused(self, db):
        response = client_for(None).get("/api/v1/notifications")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"

    def test_list_query_count(self, make_user, django_assert_max_num_queries):
        user = make_user()
        for n in range(25):
            notification_send(recipients=[user], kind="tests.hello", params={"name": n})
        client = client_for(user)
        client.get("/api/v1/notifications/unread-count")  # warm the session
        with django_assert_max_num_queries(4):
            body = client.get("/api/v1/notifications").json()
        assert body["count"] == 25 and len(body["items"]) == 20

    def test_list_query_count_does_not_grow_with_rows(self, make_user):
        user = make_user()
        client = client_for(user)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/api/v1/notifications").status_code == 200
            return len(captured)

        notification_send(recipients=[user], kind="tests.hello", params={"name": 0})
        one = queries()
        for n in range(1, 5):
            notification_send(recipients=[user], kind="tests.hello", params={"name": n})
        assert queries() == one <= 4


class TestPages:
    def test_h5_inbox_and_badge(self, make_user):
        user = make_user()
        notification_send(recipients=[user], kind="tests.hello", params={"name": "王"})
        client = client_for(user)
        page = client.get("/me/notifications/")
        assert page.status_code == 200
        assert "你好，王" in page.content.decode()
        me = client.get("/me/").content.decode()
        assert 'data-link="notifications"' in me and "weui-badge" in me
        response = client.post("/me/notifications/read-all/")
        assert response.status_code == 302
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_h5_inbox_needs_sign_in(self, db):
        response = client_for(None).get("/me/notifications/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_retry_job_requeues_failed_and_never_sent_deliveries(make_user, sms_channel):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from dandelion.notifications.services import deliveries_retry

    user = make_user(phone="13800138001")
    (fresh,) = notification_send(recipients=[user], kind="tests.hello", params={})
    # A delivery queued a moment ago is left to its own task.
    assert deliveries_retry() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        # Its task never ran (no commit in this test): the job sends it.
        assert deliveries_retry() == 1
    delivery = Delivery.objects.get(notification=fresh)
    assert delivery.status == Delivery.Status.SENT
    assert [m.phone for m in sms.outbox] == ["13800138001"]
    # Sent is final: nothing to queue again.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert deliveries_retry() == 0
