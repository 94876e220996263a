"""gunicorn settings for `make demo`/`make serve` and the HTTP benchmark.

Each worker builds its nearby index (dandelion/stations/place_index.py) as it starts, so no
worker's first nearby request waits for it; later rebuilds happen on demand when places change.

Workers are threaded (`gthread`): an open page's live stream (Server-Sent Events,
dandelion/notifications/stream.py) holds one thread, not a whole worker, while it waits, and
each process holds at most LIVE_MAX_STREAMS (12 by default) of them, so
`GUNICORN_THREADS - LIVE_MAX_STREAMS` threads per worker always serve ordinary requests. A
stream ends after LIVE_STREAM_SECONDS and the browser reconnects (Last-Event-ID), so threads are
never pinned for good; beyond the limit the page polls its badges. bench/live_streams.py
measures ordinary requests while streams are open.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))


def post_worker_init(worker):
    from django.db import connections

    from dandelion.stations import place_index

    try:
        index = place_index.current()
    except Exception:  # e.g. the database is not migrated yet: the first request builds it
        worker.log.exception("nearby index not built at start")
        return
    finally:
        connections.close_all()
    worker.log.info(
        "nearby index built in %.2f s: %d stations, %d partner places",
        index.build_seconds,
        len(index.stations),
        len(index.partners),
    )
