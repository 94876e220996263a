"""One person's live stream (Server-Sent Events, `text/event-stream`).

What it sends, all of it the person's own:
- `notification` (with `id:` = the notification's id): each new notification, rendered in the
  reader's language, and `unread` after each batch;
- `unread`: the inbox badge's count (also sent when the stream opens);
- `counters`: the console sections' badges (staff only), sent when they change;
- a comment line every `LIVE_HEARTBEAT_SECONDS`, so a dead connection is noticed.

The stream ends after `LIVE_STREAM_SECONDS` (a sync-threaded server must get its thread back)
and tells the browser (`retry:`) to reconnect after `LIVE_RETRY_MS`; the browser sends the last
id it saw as `Last-Event-ID` and the next stream starts with every notification after it, so
nothing is missed in between. A new page's first connection starts from when the page was
rendered (`?since=`, from `{% live_stream_url %}`).
"""

import json
import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.encoding import force_str

from dandelion.core.console import sections_for

from . import live
from .models import Notification
from .selectors import console_counters, newest_notification_id, notification_payload

# At most this many notifications in one look (a long-closed page resumes with the newest).
BATCH = 50


def sse(event: str | None = None, data=None, id: int | None = None) -> str:
    """One event in the text/event-stream format."""
    lines = []
    if id is not None:
        lines.append(f"id: {id}")
    if event:
        lines.append(f"event: {event}")
    body = json.dumps(data, ensure_ascii=False, default=_json_default)
    lines.extend(f"data: {line}" for line in body.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return force_str(value)


def last_id_parse(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value >= 0 else None


def _idle() -> None:
    """Give the database connection back between looks: a stream may stay open for minutes
    and must not hold a PostgreSQL connection all that time. (Inside a test's transaction the
    connection stays.)"""
    if not connection.in_atomic_block:
        connection.close()


def _new_since(user_id: int, last_id: int) -> list[Notification]:
    newest_first = list(
        Notification.objects.filter(recipient_id=user_id, pk__gt=last_id).order_by("-id")[:BATCH]
    )
    return newest_first[::-1]


class _Inbox:
    """What the stream has sent of one person's inbox: the last notification id."""

    def __init__(self, user_id: int, last_id: int):
        self.user_id = user_id
        self.last_id = last_id

    def look(self, *, always_count: bool) -> Iterator[str]:
        """Each notification after the last one sent, then the unread count (after any new
        one, or when asked)."""
        fresh = _new_since(self.user_id, self.last_id)
        for notification in fresh:
            payload = notification_payload(notification)
            yield sse("notification", payload, id=notification.pk)
            self.last_id = max(self.last_id, notification.pk)
        if fresh or always_count:
            yield sse("unread", {"unread": unread_count_of(self.user_id)})


def unread_count_of(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def since_parse(raw: str | None) -> datetime | None:
    """A page's render time (`?since=`, seconds since the epoch), or None."""
    try:
        value = float(raw or "")
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0 or value > 4e9:
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def events(
    user, *, last_event_id: int | None, language: str, since: datetime | None = None
) -> Iterator[str]:
    """The stream's text, chunk by chunk. It subscribes before it first reads, so nothing
    written in between is lost, and gives back its slot and subscription however it ends."""
    subscription = live.broker().subscribe([live.user_channel(user.pk), live.CONSOLE])
    try:
        with translation.override(language):
            yield f"retry: {settings.LIVE_RETRY_MS}\n\n"
            start = last_event_id
            if start is None:
                # A reconnecting browser says the last id it saw; a new page, when it was made.
                start = newest_notification_id(user=user, at=since or timezone.now())
            inbox = _Inbox(user.pk, start)

            yield from inbox.look(always_count=True)
            staff = bool(sections_for(user))
            counters = console_counters(user=user) if staff else {}
            if staff:
                yield sse("counters", counters)
            _idle()

            now = time.monotonic()
            deadline = now + settings.LIVE_STREAM_SECONDS
            next_heartbeat = now + settings.LIVE_HEARTBEAT_SECONDS
            next_poll = now + settings.LIVE_POLL_SECONDS
            next_count = now + settings.LIVE_COUNTERS_SECONDS if staff else deadline
            while now < deadline:
                wait = min(deadline, next_heartbeat, next_poll, next_count)
                first = subscription.get(timeout=wait - now)
                kinds = {m.get("type") for m in ([first] if first else []) + subscription.drain()}
                now = time.monotonic()
                if "inbox" in kinds or now >= next_poll:
                    yield from inbox.look(always_count="inbox" in kinds)
                    next_poll = now + settings.LIVE_POLL_SECONDS
                # Staff are told of most queue changes (a need to dispatch, a report to triage)
                # by a notification: recount on those too.
                if staff and (kinds & {"counters", "inbox"} or now >= next_count):
                    fresh = console_counters(user=user)
                    if fresh != counters:
                        counters = fresh
                        yield sse("counters", counters)
                    next_count = now + settings.LIVE_COUNTERS_SECONDS
                if now >= next_heartbeat:
                    yield ": heartbeat\n\n"
                    next_heartbeat = now + settings.LIVE_HEARTBEAT_SECONDS
                _idle()
    finally:
        subscription.close()


class SlotHeld:
    """The stream's iterator, giving its `live.slots` place back when the server closes the
    response (finished, or the client went away), even if it was never started."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._released = False

    def __iter__(self) -> Iterator[str]:
        return self._chunks

    def close(self) -> None:
        try:
            self._chunks.close()
        finally:
            if not self._released:
                self._released = True
                live.slots.release()
