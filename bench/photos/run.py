"""What photo uploads cost everyone else: a cheap GET's latency while other clients post the
largest photos the API accepts, against the same GET alone, in one run.

    .venv/bin/python -m bench.photos.run [--seconds 20] [--out bench/photos/last.json]

Starts gunicorn as `make demo` does (2 sync workers, `config/gunicorn.conf.py`) on a free
127.0.0.1 port against a fresh SQLite database with one street, one report category and 60
registered workers with API tokens. Then, each phase timed for `--seconds`:

1. **alone**: one client sends `GET /api/v1/amenities` back to back;
2. **under photo load**: the same client, while two other clients (one per server worker, as in
   the attack that found the problem) post `POST /api/v1/reports` with the largest photos
   accepted in one submission (a 7000 × 7000 PNG: 49 MP, just under the per-submission budget),
   rotating through the workers' tokens;
3. **the old worst case**: the request from the report that found the problem (four 7000 × 7000
   PNGs, 196 MP), now refused before any decoding: its latency.

It prints a JSON summary (latency percentiles in ms, the posts' outcomes) and writes it to
`--out`. The server is always stopped at the end.
"""

import argparse
import http.client
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHEAP_GET = "/api/v1/amenities"


def log(msg: str) -> None:
    print(f"[photos] {msg}", file=sys.stderr, flush=True)


def png(side: int) -> bytes:
    """A flat-coloured PNG: tiny on the wire (like the attack's 744 KB request), full price to
    decode."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (side, side), (90, 140, 60)).save(out, format="PNG", optimize=False)
    return out.getvalue()


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "n": len(ordered),
        "p50_ms": at(0.50),
        "p90_ms": at(0.90),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def getter(port: int, seconds: float) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, ms = request(port, "GET", CHEAP_GET)
        if status != 200:
            raise SystemExit(f"GET {CHEAP_GET} answered {status}")
        latencies.append(ms)
    return latencies


def poster(port: int, tokens: list[str], body_for, stop: threading.Event, out: list) -> None:
    i = 0
    while not stop.is_set():
        body, content_type = body_for()
        token = tokens[i % len(tokens)]
        i += 1
        status, ms = request(
            port,
            "POST",
            "/api/v1/reports",
            body=body,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
        )
        out.append((status, ms))


def seed(database_url: str) -> list[str]:
    """Migrate a fresh database and create the world; returns the workers' tokens."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    out = subprocess.run(
        [python, "-m", "bench.photos.seed"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", default="/tmp/bench-photos.json")
    args = parser.parse_args()

    from bench.http.run import free_port, stop_server

    workdir = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
    log(f"seeding {database_url}")
    tokens = seed(database_url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "DANDELION_DEMO": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    (workdir / "static").mkdir()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [str(gunicorn), "config.wsgi", "-c", "config/gunicorn.conf.py"]
    cmd += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "120"]
    server_log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, start_new_session=True, stdout=server_log, stderr=server_log
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(port, "GET", CHEAP_GET)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit((workdir / "server.log").read_text()[-3000:])
            time.sleep(0.3)
        getter(port, 3)  # warm-up

        big = png(7000)
        fields = {"category": "garbage", "lat": "29.722", "lng": "115.995", "description": "堆积"}

        def largest_accepted():
            return multipart(fields, [("photos", "a.png", big)])

        def old_worst():
            return multipart(fields, [("photos", f"{i}.png", big) for i in range(4)])

        size = len(largest_accepted()[0])
        log(f"largest accepted request: {size / 1024:.0f} KB on the wire, 49 MP to decode")
        log(f"phase 1: {CHEAP_GET} alone for {args.seconds:.0f} s")
        alone = getter(port, args.seconds)

        log(f"phase 2: {CHEAP_GET} while two clients post the largest accepted photos")
        stop, posts = threading.Event(), []
        threads = [
            threading.Thread(
                target=poster, args=(port, tokens[k::2], largest_accepted, stop, posts)
            )
            for k in range(2)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1)
        loaded = getter(port, args.seconds)
        stop.set()
        for thread in threads:
            thread.join()

        log("phase 3: the old worst request (four 7000 × 7000 PNGs), alone")
        old = []
        for i in range(5):
            body, content_type = old_worst()
            headers = {"Content-Type": content_type, "Authorization": f"Bearer {tokens[-1 - i]}"}
            old.append(request(port, "POST", "/api/v1/reports", body=body, headers=headers))

        statuses: dict[str, int] = {}
        for status, _ in posts:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        accepted = [ms for status, ms in posts if status == 201]
        summary = {
            "get_alone": percentiles(alone),
            "get_under_photo_load": percentiles(loaded),
            "p99_ratio": round(percentiles(loaded)["p99_ms"] / percentiles(alone)["p99_ms"], 1),
            "posts": {
                "count": len(posts),
                "by_status": statuses,
                "accepted_latency": percentiles(accepted) if accepted else None,
                "request_kb": round(size / 1024),
            },
            "old_worst_request": {
                "statuses": sorted({status for status, _ in old}),
                "latency": percentiles([ms for _, ms in old]),
            },
            "seconds_per_phase": args.seconds,
            "load_average": os.getloadavg(),
        }
        Path(args.out).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    finally:
        stop_server(proc)
        server_log.close()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    main()
