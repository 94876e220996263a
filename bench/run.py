"""Run the benchmarks and write a Markdown report.

    .venv/bin/python bench/run.py [--stations N] [--queries N] [--db postgres|sqlite|both] [--http]

Each database is measured in its own process (bench.nearby.run); the HTTP benchmark
(bench.http.run) uses the PostgreSQL database that the nearby run loaded. The report is printed
and written to bench/results.md for a full-size run (the defaults), or to --out.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path, where bench/http would shadow the
# standard library's http package; import from the repository root instead.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench import report  # noqa: E402

FULL_STATIONS = 200_000
FULL_QUERIES = 1000


def worker(module: str, *args: str) -> None:
    cmd = [sys.executable, "-m", module, *args]
    print(f"$ {shlex.join(cmd)}", file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=FULL_STATIONS)
    parser.add_argument("--queries", type=int, default=FULL_QUERIES)
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--http", action="store_true", help="also run the HTTP load benchmark")
    parser.add_argument("--seconds", type=int, default=10, help="HTTP timed run per endpoint")
    parser.add_argument("--out", type=Path, help="Markdown report path")
    args = parser.parse_args()
    full = args.stations == FULL_STATIONS and args.queries == FULL_QUERIES
    out = args.out or (
        ROOT / "bench" / "results.md" if full else Path(tempfile.gettempdir()) / "bench-quick.md"
    )

    work = Path(tempfile.mkdtemp(prefix="dandelion-bench-"))
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results: dict = {"nearby": {}, "load_average": {"start": os.getloadavg()}}
    started = time.monotonic()
    for db in dbs:
        path = work / f"nearby-{db}.json"
        worker(
            "bench.nearby.run",
            "--db",
            db,
            "--stations",
            str(args.stations),
            "--queries",
            str(args.queries),
            "--out",
            str(path),
        )
        results["nearby"][db] = json.loads(path.read_text())
    if args.http:
        reference = work / "nearby-postgres.json"
        if "postgres" not in dbs:
            worker(
                "bench.nearby.run",
                "--db",
                "postgres",
                "--stations",
                str(args.stations),
                "--build-only",
                "--out",
                str(reference),
            )
        path = work / "http.json"
        worker(
            "bench.http.run",
            "--queries",
            str(args.queries),
            "--seconds",
            str(args.seconds),
            "--reference",
            str(reference),
            "--out",
            str(path),
        )
        results["http"] = json.loads(path.read_text())
    results["load_average"]["end"] = os.getloadavg()
    command = "bench/run.py " + shlex.join(sys.argv[1:])
    text = report.render(results, command.strip())
    text += f"\nTotal benchmark time: {(time.monotonic() - started) / 60:.1f} min.\n"
    out.write_text(text)
    print(text)
    print(f"(written to {out}; raw JSON in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
