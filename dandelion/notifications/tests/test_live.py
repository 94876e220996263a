"""The live stream: its text/event-stream format, resuming by Last-Event-ID, each person seeing
only their own, the console's badges, the limit on open streams, and the Redis fan-out between
processes."""

import json
import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils.translation import gettext_lazy

from dandelion.accounts.testing import client_for
from dandelion.core import console
from dandelion.notifications import live, stream
from dandelion.notifications.kinds import register_kind
from dandelion.notifications.services import notification_send, notifications_mark_all_read

pytestmark = pytest.mark.django_db

register_kind("tests.live", title=gettext_lazy("你好，{name}"), body=gettext_lazy("有新消息"))

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def _short_streams(settings):
    """Streams that end as soon as they have said what they had (tests read them to the end),
    with the local broker, and a fresh count of open streams."""
    settings.LIVE_STREAM_SECONDS = 0
    settings.LIVE_POLL_SECONDS = 60
    settings.LIVE_HEARTBEAT_SECONDS = 60
    settings.LIVE_COUNTERS_SECONDS = 60
    settings.REDIS_URL = ""
    live.broker_reset()
    live.slots.open = 0
    yield
    live.broker_reset()


def parse(text: str) -> list[dict]:
    """The events of a text/event-stream body: each a dict of its fields (data parsed)."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        event: dict = {}
        for line in block.split("\n"):
            field, _, value = line.partition(": ")
            if field == "":
                event.setdefault("comment", value)
            elif field == "data":
                event["data"] = json.loads(value)
            else:
                event[field] = value
        events.append(event)
    return events


def read(response) -> list[dict]:
    """The whole stream (the test client closes it at the end)."""
    return parse(b"".join(response.streaming_content).decode())


def close(response) -> None:
    """Close a stream half read, as the server does when the page goes away."""
    response.close()


@pytest.fixture(autouse=True)
def _test_connection_survives_closing(monkeypatch):
    """Closing a response sends request_finished, whose handler closes the database connection
    on PostgreSQL, even the test's own inside its transaction. Django's test client avoids it
    by disconnecting the handler around the requests and closes it makes (and connecting it
    again); for streams a test closes half read, the handler stays away for the whole test."""

    def keep_connection(**kwargs):
        pass

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    monkeypatch.setattr("django.test.client.close_old_connections", keep_connection)
    yield
    for signal in (request_started, request_finished):
        signal.disconnect(keep_connection)
        signal.connect(close_old_connections)


def send(user, name="小王"):
    return notification_send(recipients=[user], kind="tests.live", params={"name": name})[0]


def test_the_stream_is_text_event_stream_with_retry_and_the_unread_count(make_user):
    user = make_user()
    send(user)
    response = client_for(user).get("/notifications/stream/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"].startswith("no-cache")
    events = read(response)
    assert events[0] == {"retry": "3000"}
    # A first connection starts from now: what was already there is in the inbox, not pushed.
    assert [e.get("event") for e in events[1:]] == ["unread"]
    assert events[1]["data"] == {"unread": 1}


def test_one_event_formats_its_id_name_and_json_data():
    text = stream.sse("notification", {"title": "你好\n世界"}, id=7)
    assert text == 'id: 7\nevent: notification\ndata: {"title": "你好\\n世界"}\n\n'


def test_resuming_by_last_event_id_sends_every_notification_after_it_in_order(make_user):
    user = make_user()
    first, second, third = (send(user, name) for name in ("一", "二", "三"))
    response = client_for(user).get("/notifications/stream/", HTTP_LAST_EVENT_ID=str(first.pk))
    events = read(response)
    pushed = [e for e in events if e.get("event") == "notification"]
    assert [int(e["id"]) for e in pushed] == [second.pk, third.pk]
    assert [e["data"]["title"] for e in pushed] == ["你好，二", "你好，三"]
    assert events[-1] == {"event": "unread", "data": {"unread": 3}}
    # The query parameter does the same for a client that cannot set the header.
    response = client_for(user).get(f"/notifications/stream/?last_event_id={second.pk}")
    assert [int(e["id"]) for e in read(response) if "id" in e] == [third.pk]


def test_a_new_page_is_sent_what_arrived_after_it_was_rendered(make_user):
    user = make_user()
    send(user, "早")
    rendered = time.time()
    later = send(user, "晚")
    response = client_for(user).get(f"/notifications/stream/?since={rendered}")
    assert [int(e["id"]) for e in read(response) if "id" in e] == [later.pk]
    for nonsense in ("abc", "nan", "1e20", "-5"):
        response = client_for(user).get(f"/notifications/stream/?since={nonsense}")
        assert [e for e in read(response) if "id" in e] == []


def test_a_notification_arrives_on_the_open_stream_when_its_transaction_commits(
    make_user, settings, django_capture_on_commit_callbacks
):
    settings.LIVE_STREAM_SECONDS = 30
    user = make_user()
    response = client_for(user).get("/notifications/stream/")
    chunks = iter(response.streaming_content)
    assert [e.get("event") for e in parse(next(chunks).decode() + next(chunks).decode())] == [
        None,
        "unread",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(user, "小李")
    pushed = parse(next(chunks).decode())
    assert pushed[0]["id"] == str(sent.pk)
    assert pushed[0]["data"]["title"] == "你好，小李"
    assert pushed[0]["data"]["url"] == ""
    assert parse(next(chunks).decode()) == [{"event": "unread", "data": {"unread": 1}}]
    # Reading everything elsewhere puts this page's badge to zero too.
    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_all_read(user=user)
    assert parse(next(chunks).decode()) == [{"event": "unread", "data": {"unread": 0}}]
    close(response)
    assert live.slots.open == 0
    assert live.broker().subscriber_count() == 0


def test_each_person_sees_only_their_own(make_user, settings, django_capture_on_commit_callbacks):
    alice, bob = make_user(), make_user()
    mine = send(alice)
    send(bob)
    # Resuming from 0 (any id) still yields only the caller's own rows.
    events = read(client_for(alice).get("/notifications/stream/", HTTP_LAST_EVENT_ID="0"))
    assert [int(e["id"]) for e in events if "id" in e] == [mine.pk]
    assert events[-1]["data"] == {"unread": 1}
    # Another person's wake-up reaches only that person's stream.
    alice_sub = live.broker().subscribe([live.user_channel(alice.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        send(bob)
    assert alice_sub.drain() == []
    alice_sub.close()


def test_anonymous_callers_get_401_and_a_full_process_503(make_user, settings):
    assert client_for(None).get("/notifications/stream/").status_code == 401
    settings.LIVE_MAX_STREAMS = 1
    user = make_user()
    held = client_for(user).get("/notifications/stream/")
    refused = client_for(user).get("/notifications/stream/")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    close(held)  # never read: its place is still given back
    assert live.slots.open == 0
    assert client_for(user).get("/notifications/stream/").status_code == 200


@pytest.fixture
def queue_section(make_user):
    """A console section, visible to one staff member, whose badge counts `waiting["n"]`."""
    staff = make_user()
    waiting = {"n": 2}
    console.register_section(
        "tests_queue",
        label="队列",
        url_name="console:home",
        visible=lambda user: user.pk == staff.pk,
        badge=lambda user: waiting["n"],
    )
    yield staff, waiting
    console._sections.pop("tests_queue", None)


def test_console_badges_are_pushed_when_a_queue_changes(queue_section, make_user, settings):
    staff, waiting = queue_section
    settings.LIVE_STREAM_SECONDS = 30
    response = client_for(staff).get("/notifications/stream/")
    chunks = iter(response.streaming_content)
    opening = parse(b"".join(next(chunks) for _ in range(3)).decode())
    assert opening[2] == {"event": "counters", "data": {"tests_queue": 2}}
    waiting["n"] = 3
    live.console_wake()
    assert parse(next(chunks).decode()) == [{"event": "counters", "data": {"tests_queue": 3}}]
    close(response)
    # A worker's stream has no counters.
    worker_events = read(client_for(make_user()).get("/notifications/stream/"))
    assert "counters" not in [e.get("event") for e in worker_events]


def test_the_polling_fallback_answers_the_same_badges(
    queue_section, make_user, django_assert_max_num_queries
):
    staff, _waiting = queue_section
    send(staff)
    client = client_for(staff)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/notifications/live")
    assert response.status_code == 200
    assert response.json() == {"unread": 1, "counters": {"tests_queue": 2}}
    worker = make_user()
    assert client_for(worker).get("/api/v1/notifications/live").json() == {
        "unread": 0,
        "counters": {},
    }
    assert client_for(None).get("/api/v1/notifications/live").status_code == 401


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")


def test_redis_carries_a_wake_up_from_one_process_to_the_streams_of_another():
    """Two brokers stand for two processes: what one publishes, the other's subscribers get,
    each only on their own channel."""
    _redis_or_skip()
    writer = live.RedisBroker(REDIS_TEST_URL, prefix="dandelion:test-live:")
    reader = live.RedisBroker(REDIS_TEST_URL, prefix="dandelion:test-live:")
    try:
        mine = reader.subscribe([live.user_channel(1)])
        other = reader.subscribe([live.user_channel(2)])
        also_writer = writer.subscribe([live.user_channel(1)])
        writer.publish(live.user_channel(1), {"type": "inbox"})
        assert mine.get(timeout=5) == {"type": "inbox"}
        assert also_writer.get(timeout=5) == {"type": "inbox"}
        assert other.get(timeout=0.2) is None
    finally:
        writer.stop()
        reader.stop()


def test_with_redis_url_the_stream_wakes_through_redis(
    make_user, settings, django_capture_on_commit_callbacks
):
    _redis_or_skip()
    settings.REDIS_URL = REDIS_TEST_URL
    settings.LIVE_STREAM_SECONDS = 30
    live.broker_reset()
    assert live.broker().name == "redis"
    user = make_user()
    response = client_for(user).get("/notifications/stream/")
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(user)
    pushed = parse(next(chunks).decode())
    assert pushed[0]["id"] == str(sent.pk)
    close(response)
