"""Run a function in many threads at once, each thread with its own database connection.

On PostgreSQL the threads connect to the test database as usual. SQLite's in-memory test
database is shared-cache, where a second writer fails at once with "table is locked" instead of
waiting; production SQLite is a file in WAL mode with IMMEDIATE transactions and a busy timeout.
So on SQLite the test database is copied to a file and the threads use that file, which is the
configuration the site runs on. Checks after the threads run in a thread of their own
(`in_thread`) so they read what the threads wrote.
"""

import sqlite3
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections


@contextmanager
def shared_database(tmp_path: Path):
    """While active, new connections (other threads) open a database every thread shares."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = original


def in_thread(fn: Callable[[], Any]) -> Any:
    """Run `fn` in a new thread (its own connection) and return its result."""
    box: dict[str, Any] = {}

    def run():
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def connections_available(n: int) -> None:
    """Fail with the remedy, not with a refused connection, when PostgreSQL cannot take `n` more
    connections at once (its default `max_connections` is 100)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        allowed = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        in_use = int(cursor.fetchone()[0])
    if allowed - in_use < n + 2:
        import pytest

        pytest.fail(
            f"PostgreSQL allows {allowed} connections and {in_use} are open; this test opens "
            f"{n} at once. Raise it: ALTER SYSTEM SET max_connections = 300, then restart the "
            "server (.ci/run does this)."
        )


def run_parallel(fn: Callable[[int], Any], n: int) -> list[tuple[str, Any]]:
    """Start `n` threads that call `fn(i)` together (released by one barrier) and return
    [("ok", result) | ("error", exception)] in thread order."""
    connections_available(n)
    barrier = threading.Barrier(n)
    results: list[tuple[str, Any]] = [("error", None)] * n

    def run(i: int):
        try:
            barrier.wait()
            results[i] = ("ok", fn(i))
        except BaseException as exc:
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
