"""The live stream's fan-out: wake-up calls from whoever writes (a request, the task worker) to
the open streams (`stream.py`) of the people concerned.

A message only says "look again": the stream then reads the database, scoped to its own user,
so the notifications table stays the one source of truth, a lost message costs a few seconds
(the stream also looks every `LIVE_POLL_SECONDS`) and `Last-Event-ID` resumes exactly.

Two brokers, chosen by settings:
- `LocalBroker` (no `REDIS_URL`): in-process queues. A write in the same process wakes its
  streams at once; writes in other processes (the task worker, other gunicorn workers) are
  found by the streams' periodic look.
- `RedisBroker` (`REDIS_URL` set): messages go through Redis pub/sub, so every process's
  streams wake at once whichever process wrote. Each process holds one Redis connection for
  all its streams (a pattern subscription read by one thread that fans out in process).

Channels: `user:<id>` (that person's inbox changed) and `console` (a staff queue may have
changed: each console stream recounts its own user's badges).
"""

import contextlib
import json
import logging
import os
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

CONSOLE = "console"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


class Subscription:
    """One open stream's mailbox on a set of channels."""

    def __init__(self, broker: "LocalBroker", channels: tuple[str, ...]):
        self.broker = broker
        self.channels = channels
        self._queue: queue.SimpleQueue = queue.SimpleQueue()

    def put(self, message: dict) -> None:
        self._queue.put(message)

    def get(self, timeout: float) -> dict | None:
        """The next message, or None when `timeout` seconds pass without one."""
        try:
            return self._queue.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def drain(self) -> list[dict]:
        """Every message already waiting (several wake-ups fold into one look)."""
        messages = []
        while True:
            try:
                messages.append(self._queue.get_nowait())
            except queue.Empty:
                return messages

    def close(self) -> None:
        self.broker.unsubscribe(self)


class LocalBroker:
    name = "local"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, channels: Iterable[str]) -> Subscription:
        subscription = Subscription(self, tuple(channels))
        with self._lock:
            for channel in subscription.channels:
                self._subscriptions[channel].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for channel in subscription.channels:
                subscribers = self._subscriptions.get(channel)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscriptions[channel]

    def subscriber_count(self) -> int:
        with self._lock:
            return len({s for subs in self._subscriptions.values() for s in subs})

    def publish(self, channel: str, message: dict) -> None:
        self.dispatch(channel, message)

    def dispatch(self, channel: str, message: dict) -> None:
        with self._lock:
            subscribers = list(self._subscriptions.get(channel, ()))
        for subscription in subscribers:
            subscription.put(message)


class RedisBroker(LocalBroker):
    name = "redis"

    def __init__(self, url: str, prefix: str = "dandelion:live:") -> None:
        import redis

        super().__init__()
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._listener: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped = threading.Event()

    def publish(self, channel: str, message: dict) -> None:
        try:
            self._redis.publish(self.prefix + channel, json.dumps(message))
        except Exception:
            # The streams' periodic look still finds what this message would have announced.
            logger.exception("live: could not publish to Redis")

    def subscribe(self, channels: Iterable[str]) -> Subscription:
        subscription = super().subscribe(channels)
        self._listen_started()
        return subscription

    def _listen_started(self) -> None:
        with self._lock:
            if self._listener is None or not self._listener.is_alive():
                self._ready.clear()
                self._listener = threading.Thread(
                    target=self._listen, name="live-redis", daemon=True
                )
                self._listener.start()
        # Wait briefly for the pattern subscription, so a message published right after a
        # stream opens reaches it; if Redis is slow the stream's periodic look covers it.
        self._ready.wait(timeout=2)

    def _listen(self) -> None:
        while not self._stopped.is_set():
            pubsub = self._redis.pubsub(ignore_subscribe_messages=False)
            try:
                pubsub.psubscribe(self.prefix + "*")
                while not self._stopped.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "psubscribe":
                        self._ready.set()
                    elif message["type"] == "pmessage":
                        channel = message["channel"].decode()[len(self.prefix) :]
                        self.dispatch(channel, json.loads(message["data"]))
            except Exception:
                logger.exception("live: Redis subscription lost; retrying")
                self._stopped.wait(1)
            finally:
                with contextlib.suppress(Exception):  # closing a broken connection
                    pubsub.close()

    def stop(self) -> None:
        self._stopped.set()
        if self._listener is not None:
            self._listener.join(timeout=3)


_broker: LocalBroker | None = None
_broker_pid: int | None = None
_broker_lock = threading.Lock()


def broker() -> LocalBroker:
    """This process's broker (made again after a fork: a child must not share the parent's
    Redis connection or listener thread)."""
    global _broker, _broker_pid
    with _broker_lock:
        if _broker is None or _broker_pid != os.getpid():
            url = settings.REDIS_URL
            _broker = RedisBroker(url) if url else LocalBroker()
            _broker_pid = os.getpid()
        return _broker


def broker_reset() -> None:
    """Forget this process's broker (tests that change `REDIS_URL`)."""
    global _broker
    with _broker_lock:
        if isinstance(_broker, RedisBroker):
            _broker.stop()
        _broker = None


def users_wake(user_ids: Iterable[int]) -> None:
    target = broker()
    for user_id in set(user_ids):
        target.publish(user_channel(user_id), {"type": "inbox"})


def console_wake() -> None:
    broker().publish(CONSOLE, {"type": "counters"})


class StreamSlots:
    """How many streams this process may hold open at once: each holds a server thread, so
    some threads always stay free for ordinary requests. Beyond it a stream is refused (503
    with Retry-After) and the page polls instead."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0

    def acquire(self) -> bool:
        with self._lock:
            if self.open >= settings.LIVE_MAX_STREAMS:
                return False
            self.open += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.open = max(0, self.open - 1)


slots = StreamSlots()
