"""Siting on the biggest city of the national dataset: the MILP against greedy, k = 1, 5, 20.

    .venv/bin/python -m bench.coverage.siting [--stations 200000] [--out /tmp/bench-siting.md]

No database: the same city, generated boundary and population grid as `bench/coverage/run.py`
(same seeds, same functions), the dataset's active stations as the existing network, walking
15 minutes (reach 865.4 m). Demand points: the cells no station covers, weighted by people.
Candidates: the centre of every cell of the city (the API's `candidates=cells`).

For each k, `dandelion.coverage.siting.solve` is timed three ways:
- `method="milp"` with a time limit of `--milp-limit` seconds (default 600): the exact optimum;
- `method="greedy"`: lazy greedy, with the bound it reports;
- `method="auto"` with the API's own budget (`MILP_TIME_LIMIT_S`), i.e. what the API answers.
Each time includes building the reduced instance (merging cells with the same candidates); the
cell × candidate coverage matrix (k-d tree + haversine) is built once and timed apart.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402
from bench.coverage.run import (  # noqa: E402
    BOUNDARY_SEED,
    generated_boundary,
    generated_grid,
)

KS = (1, 5, 20)
SPARSE_EVERY = 20


def log(msg: str) -> None:
    print(f"[siting] {msg}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--milp-limit", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-siting.md"))
    args = parser.parse_args()

    from dandelion.coverage import cells as model

    st = dataset.stations(args.stations)
    active = st.status == 0
    city = max(dataset.cities(), key=lambda c: c.population_m)
    rng = np.random.default_rng(BOUNDARY_SEED)
    boundary = generated_boundary(city, rng)
    cells = model.boundary_cells(boundary)
    people = generated_grid(city, cells, rng).astype(float)
    cell_lat, cell_lng = model.cell_centres(cells)
    reach = model.reach_m("walk", 15)
    network_ids = np.flatnonzero(active)
    sparse_network = np.zeros(len(st.lat), dtype=bool)
    sparse_network[network_ids[::SPARSE_EVERY]] = True
    scenarios = [
        ("every active station", active),
        (f"a sparse network (every {SPARSE_EVERY}th active station)", sparse_network),
    ]
    runs = []
    for label, network in scenarios:
        runs.append(
            run_scenario(label, network, st, cells, people, cell_lat, cell_lng, reach, args)
        )

    report = {
        "city": city.name_en,
        "cells": len(cells),
        "people": int(people.sum()),
        "scenarios": runs,
    }
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2))
    lines = [
        f"## Siting on the biggest city (issue 15): {city.name} ({city.name_en})",
        "",
        f"`bench/coverage/siting.py --stations {args.stations}`: the city, boundary and population "
        f"grid of the coverage benchmark ({len(cells):,} H3 res-9 cells, {int(people.sum()):,} "
        "people), walking 15 minutes (865.4 m). Demand: the uncovered cells, by people; "
        f"candidates: all {len(cells):,} cell centres (`candidates=cells`). Two networks: the "
        f"dataset's active stations, and every {SPARSE_EVERY}th of them (a city early in its "
        "build-out: far more gaps). MILP: HiGHS via `scipy.optimize.milp`, gap 0, limit "
        f"{args.milp_limit:g} s; greedy: lazy greedy; the API (`auto`) gives the MILP "
        f"{siting_budget()} s, then answers greedy. Times include reducing the instance (cells "
        "with the same candidates merged, dominated candidates dropped); the coverage matrix "
        "(k-d tree + haversine) is timed apart.",
        "",
        "| network | open cells → points × candidates (pairs) | k | MILP time | MILP people added "
        "| proven optimal | greedy time | greedy people added | greedy ÷ optimum "
        "| greedy's bound (kind) | API answer |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        size = (
            f"{run['open_cells']:,} → {run['reduced_points']:,} × {run['reduced_sites']:,} "
            f"({run['reduced_pairs']:,}; matrix {run['matrix_s']:.2f} s)"
        )
        for r in run["results"]:
            lines.append(
                f"| {run['label']} | {size} | {r['k']} | {r['milp_s']:.2f} s "
                f"| {r['milp_value']:,.0f} | {'yes' if r['milp_optimal'] else 'no'} "
                f"| {r['greedy_s'] * 1000:.0f} ms | {r['greedy_value']:,.0f} "
                f"| {r['greedy_share'] * 100:.2f}% "
                f"| {r['greedy_bound']:,.0f} ({r['greedy_bound_kind']}) "
                f"| {r['auto_solver']}{', optimal' if r['auto_optimal'] else ''}, "
                f"{r['auto_s']:.2f} s |"
            )
    lines.append("")
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


def run_scenario(label, network, st, cells, people, cell_lat, cell_lng, reach, args) -> dict:
    from dandelion.coverage import cells as model
    from dandelion.coverage import siting

    nearest = model.nearest_m(cell_lat, cell_lng, st.lat[network], st.lng[network])
    covered = nearest <= reach
    open_cells = np.flatnonzero(~covered)
    log(f"{label}: {int(people[covered].sum()):,} covered; {len(open_cells):,} open cells")
    t0 = time.perf_counter()
    cover = siting.coverage_matrix(
        point_lat=cell_lat[open_cells],
        point_lng=cell_lng[open_cells],
        site_lat=cell_lat,
        site_lng=cell_lng,
        reach_m=reach,
    )
    matrix_s = time.perf_counter() - t0
    weights = people[open_cells]
    _w, reduced = siting.reduce_instance(weights, cover)
    reduced, _columns = siting.reduce_sites(reduced)
    log(
        f"  matrix {cover.shape[0]:,} × {cover.shape[1]:,}, {cover.nnz:,} pairs in "
        f"{matrix_s:.2f} s; reduced to {reduced.shape[0]:,} × {reduced.shape[1]:,}, "
        f"{reduced.nnz:,} pairs"
    )
    results = []
    for k in KS:
        exact = siting.solve(weights, cover, k, method="milp", time_limit=args.milp_limit)
        greedy = siting.solve(weights, cover, k, method="greedy")
        auto = siting.solve(weights, cover, k)
        log(
            f"  k={k}: MILP {exact.seconds:.2f} s {exact.value:,.0f} optimal={exact.optimal}; "
            f"greedy {greedy.seconds:.3f} s {greedy.value:,.0f} bound {greedy.bound:,.0f}; "
            f"auto {auto.solver} {auto.seconds:.2f} s"
        )
        results.append(
            {
                "k": k,
                "milp_s": exact.seconds,
                "milp_value": exact.value,
                "milp_optimal": exact.optimal,
                "milp_bound": exact.bound,
                "greedy_s": greedy.seconds,
                "greedy_value": greedy.value,
                "greedy_bound": greedy.bound,
                "greedy_bound_kind": greedy.bound_kind,
                "greedy_share": greedy.value / exact.value if exact.value else 1.0,
                "auto_s": auto.seconds,
                "auto_solver": auto.solver,
                "auto_optimal": auto.optimal,
            }
        )
    return {
        "label": label,
        "covered_before": int(people[covered].sum()),
        "open_cells": len(open_cells),
        "matrix_s": matrix_s,
        "pairs": int(cover.nnz),
        "reduced_points": int(reduced.shape[0]),
        "reduced_sites": int(reduced.shape[1]),
        "reduced_pairs": int(reduced.nnz),
        "results": results,
    }


def siting_budget() -> str:
    from dandelion.coverage import siting

    return f"{siting.MILP_TIME_LIMIT_S:g}"


if __name__ == "__main__":
    main()
