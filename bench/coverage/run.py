"""Coverage of the biggest city of the national dataset against a NumPy brute force, in one run.

    .venv/bin/python -m bench.coverage.run [--stations 200000] [--out /tmp/bench-coverage.md]

On SQLite (`BENCH_COVERAGE_SQLITE_PATH`, default /tmp/dandelion_bench_coverage.sqlite3, dropped
and recreated): migrates, loads the national dataset of `bench/dataset.py` with the nearby
benchmark's loader (`bench.nearby.run.load`), then gives the biggest city (by population) a
generated boundary (a wobbly 72-gon of radius 1.5 σ around its centre, σ being the dataset's
spread of stations around that city) and a generated population grid (every H3 resolution-9
cell of the boundary: a Gaussian of the distance to the centre × a log-normal factor, scaled to
the city's population), through the real services.

Measured, each as the median of `--repeat` runs after one warm-up:
- `coverage_compute(region=city)` (the selector the API calls: cells of the boundary, the grid,
  the qualifying places from the nearby index, the k-d tree, the totals), walking and e-bike
  15 minutes, and with `amenity=battery_swap` open at the dataset's moment;
- once each, the brute force: NumPy haversine of every cell against every qualifying station
  read from the rows as stored (its own code, not the model's), chunked.

Checked: the nearest distance of every cell bitwise equal, the covered flags equal, and the
covered population equal.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "BENCH_SQLITE_PATH",
    os.environ.get("BENCH_COVERAGE_SQLITE_PATH", "/tmp/dandelion_bench_coverage.sqlite3"),
)

from bench import dataset  # noqa: E402
from bench.nearby import run as nearby  # noqa: E402

EARTH_RADIUS_M = 6_371_008.8
BOUNDARY_SEED = 20251205
RADIUS_SIGMAS = 1.0
CHUNK = 2_000_000  # cells × stations per NumPy block


def log(msg: str) -> None:
    print(f"[coverage] {msg}", file=sys.stderr, flush=True)


def generated_boundary(city: dataset.City, rng: np.random.Generator) -> dict:
    """A closed 72-gon around the city centre whose radius wobbles by up to ±35%."""
    radius_km = RADIUS_SIGMAS * city.sigma_km
    phase = rng.uniform(0, 2 * math.pi, 2)
    ring = []
    for step in range(72):
        angle = 2 * math.pi * step / 72
        r = radius_km * (
            1 + 0.25 * math.sin(3 * angle + phase[0]) + 0.1 * math.sin(7 * angle + phase[1])
        )
        lat = city.lat + r * math.sin(angle) / dataset.KM_PER_DEG
        lng = city.lng + r * math.cos(angle) / (
            dataset.KM_PER_DEG * math.cos(math.radians(city.lat))
        )
        ring.append([round(lng, 6), round(lat, 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def generated_grid(city: dataset.City, cells: list[str], rng: np.random.Generator) -> np.ndarray:
    import h3

    centres = np.array([h3.cell_to_latlng(c) for c in cells])
    dy = (centres[:, 0] - city.lat) * dataset.KM_PER_DEG
    dx = (centres[:, 1] - city.lng) * dataset.KM_PER_DEG * math.cos(math.radians(city.lat))
    weight = np.exp(-(dx**2 + dy**2) / (2 * city.sigma_km**2)) * rng.lognormal(0, 0.5, len(cells))
    return np.round(city.population_m * 1e6 * weight / weight.sum()).astype(np.int64)


def brute_nearest(cell_lat, cell_lng, lat, lng) -> np.ndarray:
    """Every cell against every station: haversine in metres (the formula of
    `dandelion.core.geo.haversine_m`, on arrays), the minimum per cell."""
    best = np.full(len(cell_lat), np.inf)
    step = max(1, CHUNK // max(1, len(lat)))
    p2 = np.radians(lat)[None, :]
    for start in range(0, len(cell_lat), step):
        rows = slice(start, start + step)
        p1 = np.radians(cell_lat[rows])[:, None]
        dl = np.radians(lng[None, :] - cell_lng[rows, None])
        a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        d = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        if d.shape[1]:
            best[rows] = d.min(axis=1)
    return best


def median_time(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-coverage.md"))
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (same --stations)"
    )
    args = parser.parse_args()

    if args.reuse:
        nearby.django_setup(f"sqlite:///{nearby.SQLITE_PATH}")
        loaded = {"load_s": float("nan")}
    else:
        nearby.django_setup(nearby.reset_database("sqlite"))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        log(f"loading {args.stations:,} stations")
        loaded = nearby.load(dataset.stations(args.stations))

    from dandelion.coverage import cells as model
    from dandelion.coverage.selectors import coverage_compute
    from dandelion.regions.models import PopulationCell, Region
    from dandelion.regions.services import region_shape_set
    from dandelion.stations import place_index

    city = max(dataset.cities(), key=lambda c: c.population_m)
    rng = np.random.default_rng(BOUNDARY_SEED)
    region = region_shape_set(
        region=Region.objects.get(code=city.code), boundary=generated_boundary(city, rng)
    )
    cells = model.boundary_cells(region.boundary)
    people = generated_grid(city, cells, rng)
    PopulationCell.objects.filter(city_code=city.code).delete()
    PopulationCell.objects.bulk_create(
        [
            PopulationCell(h3=c, people=int(p), city_code=city.code)
            for c, p in zip(cells, people, strict=True)
        ],
        batch_size=5000,
    )
    log(f"{city.name_en}: {len(cells):,} cells, {int(people.sum()):,} people")

    # The index covers the week from `now`: the dataset's moment, as a city asking about tonight.
    now = dataset.BENCH_MOMENT
    t0 = time.perf_counter()
    place_index.current(now)
    index_s = time.perf_counter() - t0
    rows = nearby.brute_data(dataset.BENCH_MOMENT)
    cell_lat, cell_lng = model.cell_centres(cells)

    cases = [
        ("walk, 15 min, every active station", {"mode": "walk"}, rows["active"]),
        ("e-bike, 15 min, every active station", {"mode": "ebike"}, rows["active"]),
        (
            f"walk, 15 min, `{dataset.FILTER_AMENITY}`, open at {dataset.BENCH_MOMENT:%H:%M}",
            {"mode": "walk", "amenity": dataset.FILTER_AMENITY, "at": dataset.BENCH_MOMENT},
            rows["filtered"],
        ),
    ]
    results = []
    brute_cache: dict[int, tuple[float, np.ndarray]] = {}
    for label, kwargs, eligible in cases:
        log(f"coverage_compute: {label}")
        seconds, answer = median_time(
            lambda kwargs=kwargs: coverage_compute(region=region, now=now, **kwargs), args.repeat
        )
        key = int(eligible.sum())
        if key not in brute_cache:
            log(f"brute force over {key:,} stations × {len(cells):,} cells")
            t0 = time.perf_counter()
            nearest = brute_nearest(
                cell_lat, cell_lng, rows["lat"][eligible], rows["lng"][eligible]
            )
            brute_cache[key] = (time.perf_counter() - t0, nearest)
        brute_s, nearest = brute_cache[key]
        reach = model.reach_m(kwargs["mode"], 15)
        covered = nearest <= reach
        covered_people = round(float(people[covered].sum()))
        same_cells = list(answer.cell_ids) == cells
        identical = bool(
            same_cells
            and np.array_equal(answer.cell_nearest_m, nearest)
            and np.array_equal(answer.cell_covered, covered)
            and answer.covered_population == covered_people
        )
        results.append(
            {
                "case": label,
                "stations": key,
                "cells": len(cells),
                "covered_population": answer.covered_population,
                "share": answer.share,
                "coverage_s": seconds,
                "brute_s": brute_s,
                "identical": identical,
                "max_abs_diff_m": float(np.max(np.abs(answer.cell_nearest_m - nearest)))
                if same_cells and np.isfinite(nearest).all()
                else None,
            }
        )
        log(f"  {seconds * 1000:.1f} ms vs brute {brute_s:.1f} s, identical={identical}")

    report = {
        "city": city.name_en,
        "cells": len(cells),
        "people": int(people.sum()),
        "stations": args.stations,
        "active": int(rows["active"].sum()),
        "index_build_s": index_s,
        "load_s": loaded["load_s"],
        "results": results,
    }
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2))
    lines = [
        f"## Coverage of the biggest city (issue 15): {city.name} ({city.name_en}), SQLite",
        "",
        f"`bench/coverage/run.py --stations {args.stations}`: {report['active']:,} active stations "
        f"nationally; a generated boundary (72-gon, radius {RADIUS_SIGMAS} σ = "
        f"{RADIUS_SIGMAS * city.sigma_km:.1f} km ± 35%) holding {len(cells):,} H3 res-9 cells and "
        f"a generated grid of {int(people.sum()):,} people. Nearby index built in "
        f"{index_s:.1f} s (once per places version). `coverage_compute` is the median of "
        f"{args.repeat} warm runs of the whole selector; the brute force measures every cell "
        "against every qualifying station with NumPy, once.",
        "",
        "| case | qualifying stations | covered people | share | coverage_compute "
        "| brute force | speed-up | identical |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['stations']:,} | {r['covered_population']:,} | {r['share']:.4f} "
            f"| {r['coverage_s'] * 1000:.0f} ms | {r['brute_s']:.1f} s "
            f"| {r['brute_s'] / r['coverage_s']:.0f}× | {'yes' if r['identical'] else 'NO'} |"
        )
    lines.append("")
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
