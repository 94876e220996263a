"""Renders the workers' JSON as the Markdown written to bench/results.md."""

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench import dataset

ROOT = Path(__file__).resolve().parent.parent
NEARBY_TARGET = "PostGIS KNN"
HTTP_TARGET = 0.60
WATCHED = (
    "dandelion/stations/place_index.py",
    "dandelion/stations/selectors.py",
)


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, cwd=ROOT, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "CPU": f"{cpu or platform.processor()} × {_run(['nproc']) or os.cpu_count()} (nproc)",
        "Memory": mem,
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
    }


def versions(results: dict) -> dict[str, str]:
    out = {"Python": platform.python_version()}
    for dist in ("Django", "django-ninja", "psycopg", "h3", "numpy", "gunicorn"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    nearby = results.get("nearby", {})
    if "postgres" in nearby:
        out["PostgreSQL"] = nearby["postgres"]["server_version"].removeprefix("PostgreSQL ")
        pg = nearby["postgres"].get("postgis", {})
        out["PostGIS"] = pg.get("version") or f"unavailable ({pg.get('error', '?')[:80]})"
    if "sqlite" in nearby:
        out["SQLite"] = nearby["sqlite"]["server_version"].removeprefix("SQLite ")
    if results.get("http"):
        out["wrk"] = _run(["wrk", "-v"]).split(" [")[0].removeprefix("wrk ") or "?"
    return out


def code_state() -> str:
    head = _run(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = [p for p in WATCHED if _run(["git", "status", "--porcelain", "--", p])]
    note = f"commit `{head}`"
    if dirty:
        note += f", with uncommitted changes in {', '.join(f'`{p}`' for p in dirty)}"
    else:
        note += " (place_index.py and selectors.py as committed)"
    return note


def _fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def _n(x: int) -> str:
    return f"{x:,}"


def nearby_section(r: dict) -> list[str]:
    q = r["queries"]
    analyze = "VACUUM ANALYZE" if r["db"] == "postgres" else "ANALYZE"
    lines = [
        f"## Nearby search, limit {r['limit']}: {r['server_version']}",
        "",
        f"{_n(r['stations'])} stations loaded in {r['load']['load_s']:.0f} s "
        f"(bulk_create, one transaction), then {analyze} "
        f"in {r['load']['analyze_s']:.1f} s. Times are per query, wall clock in the benchmark "
        f"process, after {min(20, q)} warm-up queries per method; the methods run query by "
        "query in rotating order, so load from other processes falls on all of them alike"
        + (
            " (load average while timing: "
            + " → ".join(f"{la[0]:.2f}" for la in r["load_average"].values())
            + ")."
            if r.get("load_average")
            else "."
        ),
        "",
    ]
    ix = r.get("index")
    if ix:
        lines += [
            f"Nearby index (`dandelion/stations/place_index.py`): {_n(ix['stations'])} stations "
            f"and {_n(ix['partners'])} partner places, built in "
            + ", ".join(f"{b:.1f}" for b in ix["build_s"])
            + f" s (three builds); the process's resident memory grew by "
            f"{ix['rss_growth_mib']:.0f} MiB with the first build, of which the index's own "
            f"objects are {ix['objects_mib']:.0f} MiB. Each worker process holds one.",
            "",
        ]
    lines += [
        "| method | p50 ms | p90 ms | p99 ms | mean ms | max ms | exact / queries "
        "| of which ties |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in r["methods"].values():
        exact = f"{m['exact']}/{q}" + ("" if m["exact"] == q else " **(not exact)**")
        lines.append(
            f"| {m['label']} | {_fmt(m['p50_ms'])} | {_fmt(m['p90_ms'])} | {_fmt(m['p99_ms'])} "
            f"| {_fmt(m['mean_ms'])} | {_fmt(m['max_ms'])} | {exact} | {m['ties']} |"
        )
    lines += [
        "",
        "*Exact*: the same ids in the same order as brute force over the rows passing the same "
        "filters, or, where they differ, the same distance at every rank within 1 mm (co-located "
        "stations; brute force breaks ties by id). The filtered brute force is timed over arrays "
        "already reduced to the stations with the amenity that are open at the fixed moment, so it "
        "is the floor, not a like-for-like cost.",
        "",
        f"SQL statements per call (untimed pass over the first {min(200, q)} queries):",
        "",
        "| method | statements, mean | max | calls that ranked every row |",
        "|---|---:|---:|---:|",
    ]
    for m in r["methods"].values():
        if "sql" in m:
            s = m["sql"]
            lines.append(
                f"| {m['label']} | {s['statements_mean']:.1f} | {s['statements_max']} "
                f"| {s['rank_every_row_calls']} |"
            )
    lines += [
        "",
        "By query category (p50 / p99 ms):",
        "",
        "| method | "
        + " | ".join(
            f"{c} ({r['methods']['brute']['by_category'][c]['n']})"
            for c in ("city", "suburb", "rural", "remote")
            if c in r["methods"]["brute"]["by_category"]
        )
        + " |",
        "|---|" + "---:|" * len(r["methods"]["brute"]["by_category"]),
    ]
    for m in r["methods"].values():
        cells = [
            f"{_fmt(v['p50_ms'])} / {_fmt(v['p99_ms'])}"
            for c in ("city", "suburb", "rural", "remote")
            if (v := m["by_category"].get(c))
        ]
        lines.append(f"| {m['label']} | " + " | ".join(cells) + " |")
    wrong = [(m["label"], m["wrong_examples"]) for m in r["methods"].values() if m["wrong"]]
    if wrong:
        lines += ["", "Wrong answers (first examples):", ""]
        for label, examples in wrong:
            for ex in examples:
                lines.append(
                    f"- {label} at ({ex['lat']}, {ex['lng']}): got {ex['got']}, "
                    f"expected {ex['expected']}"
                )
    pg = r.get("postgis")
    if pg and pg.get("plan"):
        lines += [
            "",
            "PostGIS plan (first query):",
            "",
            "```",
            *pg["plan"],
            "```",
        ]
    lines.append("")
    return lines


def http_section(h: dict) -> list[str]:
    check = h.get("check", {})
    lines = [
        "## HTTP: production server under load (PostgreSQL)",
        "",
        f"gunicorn, {h['workers']} sync worker processes, `config.wsgi` through "
        "`bench/http/wsgi_bench.py` (bench settings add only `/bench/bare`), on 127.0.0.1; "
        f"load from wrk in a separate process ({h['wrk']['threads']} thread, "
        f"{h['wrk']['connections']} connections), {h['warmup_s']} s warm-up then "
        f"{h['seconds']} s timed per endpoint. Nearby cycles through the {h['queries']} "
        'query points (no filters, limit 10); bare is a Django view returning `{"ok": true}` '
        "through the same middleware. Client and server share the 2 cores."
        + (
            " Each worker built its nearby index as it started ("
            + ", ".join(f"{b:.1f} s" for b in h["index_build_s"])
            + "); the timing starts after both have."
            if h.get("index_build_s")
            else ""
        ),
        "",
        "| endpoint | requests/s | p50 ms | p90 ms | p99 ms | requests | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path in (("bare", "/bench/bare"), ("nearby", "/api/v1/stations/nearby?lat=…&lng=…")):
        w = h[name]
        lines.append(
            f"| `{path}` | {w['rps']:.1f} | {_fmt(w['p50_ms'])} | {_fmt(w['p90_ms'])} "
            f"| {_fmt(w['p99_ms'])} | {_n(w['requests'])} | {w['non_2xx']} | {w['socket_errors']} |"
        )
    lines += ["", f"**Nearby / bare = {h['ratio']:.1%}** (target ≥ {HTTP_TARGET:.0%})."]
    if "nearby_checked" in check:
        lines += [
            "",
            f"Spot check before the load: {check['nearby_200']}/{check['nearby_checked']} nearby "
            f"answers 200, {check['nearby_same_ids']} with brute force's ids in order, "
            f"{check.get('nearby_ties', 0)} more equal up to ties.",
        ]
    lines.append("")
    return lines


def targets(results: dict) -> list[str]:
    lines = ["## Targets", ""]
    for db, r in results.get("nearby", {}).items():
        q = r["queries"]
        m = r["methods"]
        for key in ("index", "selector", "selector_filtered", "selector_stars", "postgis"):
            if key in m:
                ok = m[key]["exact"] == q
                lines.append(
                    f"- {db}: {m[key]['label']} exact on every query: "
                    + ("**met**" if ok else f"**MISSED** ({m[key]['wrong']} wrong of {q})")
                )
        pg = results.get("nearby", {}).get("postgres", {}).get("methods", {}).get("postgis")
        if pg:
            for key in ("index", "selector"):
                if key not in m:
                    continue
                ratio = m[key]["p50_ms"] / pg["p50_ms"]
                verdict = (
                    f"**met** ({1 / ratio:.1f}× faster)"
                    if ratio <= 1
                    else f"**MISSED**: {ratio:.1f}× slower"
                )
                lines.append(
                    f"- {db}: {m[key]['label']} p50 {_fmt(m[key]['p50_ms'])} ms no slower than "
                    f"PostGIS KNN p50 {_fmt(pg['p50_ms'])} ms (PostgreSQL): {verdict}"
                )
    h = results.get("http")
    if h:
        verdict = "**met**" if h["ratio"] >= HTTP_TARGET else "**MISSED**"
        lines.append(
            f"- HTTP nearby ≥ {HTTP_TARGET:.0%} of bare: {verdict} ({h['ratio']:.1%}: "
            f"{h['nearby']['rps']:.1f} vs {h['bare']['rps']:.1f} requests/s)"
        )
    lines.append("")
    return lines


def render(results: dict, command: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    any_nearby = next(iter(results.get("nearby", {}).values()), None)
    lines = [
        "# Benchmark results",
        "",
        f"Generated {now} by `{command}` on {code_state()}. "
        "Written by bench/run.py; see bench/README.md for what each number means.",
        "",
        "## Machine and versions",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine().items()),
        *(
            f"| Load average (1, 5, 15 min) at {when} | "
            + ", ".join(f"{x:.2f}" for x in results["load_average"][when])
            + " |"
            for when in ("start", "end")
            if when in results.get("load_average", {})
        ),
        *(f"| {k} | {v} |" for k, v in versions(results).items()),
        "",
    ]
    if any_nearby:
        rows = any_nearby["load"]["rows"]
        el = any_nearby.get("eligible", {})
        cats = any_nearby.get("query_categories", {})
        lines += [
            "## Dataset",
            "",
            f"- {_n(any_nearby['stations'])} stations around {len(dataset.cities())} real "
            "prefecture-level city centres weighted by population (Gaussian core, exponential "
            "suburbs, rural scatter 15–150 km, 0.5% co-located), seeds "
            f"{dataset.STATION_SEED}/{dataset.QUERY_SEED}; {_n(rows['regions'])} regions, "
            f"{_n(rows['station_amenities'])} station–amenity links, "
            f"{_n(rows['opening_intervals'])} weekly intervals, "
            f"{_n(rows['hours_exceptions'])} dated exceptions.",
            f"- {_n(el.get('active', 0))} active stations; with `{dataset.FILTER_AMENITY}` "
            f"{_n(el.get('with_amenity', 0))}; open at {dataset.BENCH_MOMENT.isoformat()} "
            f"{_n(el.get('open_now', 0))}; both {_n(el.get('amenity_and_open', 0))}.",
            f"- {_n(any_nearby['queries'])} query points: "
            + ", ".join(f"{v} {k}" for k, v in cats.items())
            + ".",
            "",
        ]
    for r in results.get("nearby", {}).values():
        lines += nearby_section(r)
    if results.get("http"):
        lines += http_section(results["http"])
    lines += targets(results)
    return "\n".join(lines)


if __name__ == "__main__":  # re-render from saved JSON: python -m bench.report a.json [b.json]
    import json

    loaded: dict = {"nearby": {}}
    for arg in sys.argv[1:]:
        data = json.loads(Path(arg).read_text())
        if "db" in data:
            loaded["nearby"][data["db"]] = data
        else:
            loaded["http"] = data
    print(render(loaded, "python -m bench.report"))
