"""gunicorn settings for `make demo`/`make serve` and the HTTP benchmark.

Each worker builds its nearby index (dandelion/stations/place_index.py) as it starts, so no
worker's first nearby request waits for it; later rebuilds happen on demand when places change.
"""


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
