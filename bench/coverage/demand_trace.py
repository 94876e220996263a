"""What the demand trace costs a nearby search: the endpoint with and without it, in one run.

    .venv/bin/python -m bench.coverage.demand_trace [--stations 20000] [--queries 2000]

On its own SQLite file (`BENCH_DEMAND_SQLITE_PATH`, default /tmp/dandelion_bench_demand.sqlite3,
dropped and recreated): migrates and loads the national dataset with the nearby benchmark's
loader, then calls `GET /api/v1/stations/nearby` in-process through Django's test client (the
whole request: URL routing, parsing, the selector, the JSON, the hook) at the first
`--distinct` query points of the dataset, asked in turn again and again (workers search from the
same places: most searches come from cells already past the threshold), alternating query by
query between the trace connected (as in production) and disconnected (the nearby search before
the trace existed), after a warm-up of each. Flushes (every `DEMAND_FLUSH_SECONDS`) fall inside
the timed requests, as in production.

Also timed alone: the receiver (`demand_search_record`) per call, and `demand_flush`.
The cache is Django's default local-memory cache, as in a single-process deployment.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["BENCH_SQLITE_PATH"] = os.environ.get(
    "BENCH_DEMAND_SQLITE_PATH", "/tmp/dandelion_bench_demand.sqlite3"
)

from bench import dataset  # noqa: E402
from bench.nearby import run as nearby  # noqa: E402


def log(msg: str) -> None:
    print(f"[demand] {msg}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--distinct", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-demand.md"))
    args = parser.parse_args()

    nearby.django_setup(nearby.reset_database("sqlite"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log(f"loading {args.stations:,} stations")
    nearby.load(dataset.stations(args.stations))

    import h3
    from django.test import Client
    from django.utils import timezone

    from dandelion.core import hooks
    from dandelion.coverage import demand
    from dandelion.coverage.models import DemandCount

    client = Client()
    points = dataset.queries(args.distinct)
    receiver = demand.demand_search_record

    def call(i: int) -> float:
        i %= args.distinct
        t0 = time.perf_counter()
        response = client.get(
            "/api/v1/stations/nearby",
            {"lat": f"{points.lat[i]:.6f}", "lng": f"{points.lng[i]:.6f}"},
        )
        elapsed = time.perf_counter() - t0
        assert response.status_code == 200, response.content
        return elapsed

    for i in range(50):  # warm-up: the nearby index, the URL resolver, the cache
        call(i)
    hooks.disconnect(hooks.NEARBY_SEARCHED, receiver)
    for i in range(50):
        call(i)

    with_trace, without_trace = [], []
    for i in range(args.queries):
        if i % 2 == 0:
            hooks.connect(hooks.NEARBY_SEARCHED, receiver)
            with_trace.append(call(i))
            hooks.disconnect(hooks.NEARBY_SEARCHED, receiver)
            without_trace.append(call(i))
        else:
            without_trace.append(call(i))
            hooks.connect(hooks.NEARBY_SEARCHED, receiver)
            with_trace.append(call(i))
            hooks.disconnect(hooks.NEARBY_SEARCHED, receiver)
    demand.demand_flush()
    stored = DemandCount.objects.count()

    # The receiver alone, on a busy cell (past the threshold) and on fresh cells.
    now = timezone.now()
    busy = h3.latlng_to_cell(float(points.lat[0]), float(points.lng[0]), 8)
    n = 20_000
    t0 = time.perf_counter()
    for _ in range(n):
        receiver(cell=busy, occurred_at=now)
    busy_us = (time.perf_counter() - t0) / n * 1e6
    far = dataset.queries(4_000, seed=dataset.QUERY_SEED + 1)
    fresh = [
        h3.latlng_to_cell(float(lat), float(lng), 8)
        for lat, lng in zip(far.lat, far.lng, strict=True)
    ]
    t0 = time.perf_counter()
    for cell in fresh:
        receiver(cell=cell, occurred_at=now)
    fresh_us = (time.perf_counter() - t0) / len(fresh) * 1e6
    t0 = time.perf_counter()
    flushed = demand.demand_flush()
    flush_ms = (time.perf_counter() - t0) * 1000
    hooks.connect(hooks.NEARBY_SEARCHED, receiver)

    def stats(values: list[float]) -> dict:
        ordered = sorted(values)
        return {
            "median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
            "mean_ms": statistics.fmean(ordered) * 1000,
        }

    report = {
        "stations": args.stations,
        "queries": args.queries,
        "with": stats(with_trace),
        "without": stats(without_trace),
        "stored_cells": stored,
        "receiver_busy_us": busy_us,
        "receiver_fresh_us": fresh_us,
        "flush_rows": flushed,
        "flush_ms": flush_ms,
    }
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2))
    w, wo = report["with"], report["without"]
    lines = [
        "## The demand trace's cost to a nearby search (issue 15)",
        "",
        f"`bench/coverage/demand_trace.py --stations {args.stations} --queries {args.queries} "
        f"--distinct {args.distinct}`, "
        "SQLite, local-memory cache: `GET /api/v1/stations/nearby` through Django's test client "
        f"(the whole request in-process) at {args.distinct} points asked in turn, "
        "alternating query by query between the trace connected and disconnected. "
        f"{stored:,} cell-days stored (≥ 5 searches) at the end.",
        "",
        "| nearby endpoint | median | p95 | mean |",
        "|---|---:|---:|---:|",
        f"| without the trace | {wo['median_ms']:.2f} ms | {wo['p95_ms']:.2f} ms "
        f"| {wo['mean_ms']:.2f} ms |",
        f"| with the trace | {w['median_ms']:.2f} ms | {w['p95_ms']:.2f} ms "
        f"| {w['mean_ms']:.2f} ms |",
        f"| difference | {w['median_ms'] - wo['median_ms']:+.3f} ms "
        f"| {w['p95_ms'] - wo['p95_ms']:+.3f} ms | {w['mean_ms'] - wo['mean_ms']:+.3f} ms |",
        "",
        f"The receiver alone: {busy_us:.1f} µs a call on a cell past the threshold, "
        f"{fresh_us:.1f} µs on cells not yet past it; one flush of {flushed:,} buffered "
        f"cell-days took {flush_ms:.1f} ms (at most one every `DEMAND_FLUSH_SECONDS`).",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
