"""HTTP load benchmark against the production server on loopback.

    .venv/bin/python -m bench.http.run --queries 1000 --out /tmp/http.json

Starts gunicorn (2 sync workers, the production WSGI application under bench/http/settings.py,
which only adds `/bench/bare`) on a free 127.0.0.1 port against the benchmark PostgreSQL
database that bench.nearby.run loaded, checks a few answers, then drives each endpoint with wrk
from a separate process: a warm-up, then a timed run. `/api/v1/stations/nearby` cycles through
the benchmark's query points. The server is stopped at the end, whatever happens.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import dataset
from bench.nearby.run import PG_URL

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("paths.lua")


def log(msg: str) -> None:
    print(f"[http] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def start_server(port: int, workers: int, static_root: Path, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production"),
        "DANDELION_DEMO": "false",
        # An existing (empty) static root, as after collectstatic; keeps WhiteNoise quiet.
        "STATIC_ROOT": str(static_root),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [
        str(gunicorn),
        "bench.http.wsgi_bench:application",
        "--config",
        str(ROOT / "config" / "gunicorn.conf.py"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "info",
    ]
    log(" ".join(cmd))
    # Its own process group, so stopping it takes the workers along.
    with log_path.open("w") as server_log:
        return subprocess.Popen(
            cmd, env=env, cwd=ROOT, start_new_session=True, stderr=server_log, stdout=server_log
        )


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    log("server stopped")


INDEX_BUILT = re.compile(r"nearby index built in ([0-9.]+) s")


def wait_ready(
    base: str, proc: subprocess.Popen, log_path: Path, workers: int, timeout: float = 300.0
) -> list[float]:
    """Waits until every worker has built its nearby index (config/gunicorn.conf.py logs it) and
    the server answers; returns the workers' build times in seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}: {log_path.read_text()}")
        builds = [float(s) for s in INDEX_BUILT.findall(log_path.read_text())]
        if len(builds) >= workers:
            try:
                status, _ = get(base + "/bench/bare", timeout=2)
                if status == 200:
                    return builds
            except OSError:
                pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn workers not ready in time: {log_path.read_text()[-2000:]}")


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNIT_MS[unit]


def wrk(url: str, paths_file: Path, seconds: int, threads: int, connections: int) -> dict:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        str(paths_file),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 60)
    text = out.stdout
    result: dict = {"raw": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    result["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    result["requests"] = int(m.group(1)) if m else 0
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+\w+)", text, re.M)
        result[f"p{pct}_ms"] = _ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(int(g) for g in m.groups()) if m else 0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10, help="timed run per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up per endpoint, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument(
        "--reference", type=Path, help="nearby JSON with brute-force answers to spot-check"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    q = dataset.queries(args.queries)
    tmp = Path(tempfile.mkdtemp(prefix="dandelion-bench-http-"))
    paths = {
        "bare": tmp / "bare.txt",
        "nearby": tmp / "nearby.txt",
    }
    paths["bare"].write_text("/bench/bare\n")
    paths["nearby"].write_text(
        "".join(
            f"/api/v1/stations/nearby?lat={la:.6f}&lng={ln:.6f}\n"
            for la, ln in zip(q.lat.tolist(), q.lng.tolist(), strict=True)
        )
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    result: dict = {
        "workers": args.workers,
        "wrk": {"threads": args.threads, "connections": args.connections},
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "queries": args.queries,
    }
    server_log = tmp / "gunicorn.log"
    proc = start_server(port, args.workers, tmp, server_log)
    try:
        result["index_build_s"] = wait_ready(base, proc, server_log, args.workers)
        log(f"workers built their nearby index in {result['index_build_s']} s")
        result["check"] = spot_check(base, args.reference)
        log(f"spot check: {result['check']}")
        for name in ("bare", "nearby"):
            log(f"{name}: warm-up {args.warmup} s")
            wrk(base, paths[name], args.warmup, args.threads, args.connections)
            log(f"{name}: timed {args.seconds} s")
            result[name] = wrk(base, paths[name], args.seconds, args.threads, args.connections)
            log(f"{name}: {result[name]['rps']:.1f} req/s, non-2xx {result[name]['non_2xx']}")
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    result["ratio"] = (
        result["nearby"]["rps"] / result["bare"]["rps"] if result["bare"]["rps"] else 0
    )
    args.out.write_text(json.dumps(result, indent=1))


def spot_check(base: str, reference: Path | None) -> dict:
    """The first answers over HTTP: status, count, and ids against brute force when given."""
    status, body = get(base + "/bench/bare")
    check: dict = {"bare_status": status, "bare_body": body.decode()}
    if reference is None or not reference.exists():
        return check
    sample = json.loads(reference.read_text()).get("reference_sample", [])
    same = ties = ok = 0
    for item in sample:
        status, body = get(f"{base}/api/v1/stations/nearby?lat={item['lat']}&lng={item['lng']}")
        if status != 200:
            continue
        ok += 1
        items = json.loads(body)["items"]
        if [hit["id"] for hit in items] == item["ids"]:
            same += 1
        elif len(items) == len(item["ids"]) and all(
            abs(hit["distance_m"] - d) <= 0.051
            for hit, d in zip(items, item["distances_m"], strict=True)
        ):
            ties += 1  # same distance at every rank (payload distances are rounded to 0.1 m)
    check.update(
        {
            "nearby_checked": len(sample),
            "nearby_200": ok,
            "nearby_same_ids": same,
            "nearby_ties": ties,
        }
    )
    return check


if __name__ == "__main__":
    main()
