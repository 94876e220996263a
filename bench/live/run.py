"""What open live streams cost everyone else, and how fast a notification reaches an open page
from another process.

    .venv/bin/python -m bench.live.run [--seconds 10] [--redis redis://127.0.0.1:6379/14]

Starts gunicorn as `make demo` does (2 workers, `config/gunicorn.conf.py`: gthread, 16 threads,
LIVE_MAX_STREAMS 12 per process) on a free 127.0.0.1 port against a fresh SQLite database with
60 signed-in people, with REDIS_URL set (`--redis ""` for none). Then, each phase timed for
`--seconds`, one client sends a cheap GET back to back:

1. **alone**: no stream open;
2. **20 streams open** (of the 24 the two workers hold);
3. **60 streams asked for**: more than the workers hold; the rest are refused with 503 and
   their pages would poll;
4. **delivery**: with the streams of phase 3 open, a separate process (as the task worker)
   sends a notification to each of 10 people whose stream is open, one after another; the time
   from its commit to the event arriving on the stream.

Prints a JSON summary (latency percentiles in ms, streams held and refused) and writes it to
`--out`. The server is always stopped at the end.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.photos.run import percentiles, request

ROOT = Path(__file__).resolve().parents[2]
CHEAP_GET = "/api/v1/amenities"


def log(msg: str) -> None:
    print(f"[live] {msg}", file=sys.stderr, flush=True)


def getter(port: int, seconds: float) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, ms = request(port, "GET", CHEAP_GET)
        if status != 200:
            raise SystemExit(f"GET {CHEAP_GET} answered {status}")
        latencies.append(ms)
    return latencies


class Stream(threading.Thread):
    """One open page's EventSource: reads events, notes when each notification arrived."""

    def __init__(self, port: int, session: str):
        super().__init__(daemon=True)
        self.port, self.session = port, session
        self.status: int | None = None
        self.arrivals: list[float] = []
        self.ready = threading.Event()
        self.conn: http.client.HTTPConnection | None = None

    def run(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            self.conn.request(
                "GET",
                "/notifications/stream/",
                headers={"Cookie": f"sessionid={self.session}", "Accept": "text/event-stream"},
            )
            response = self.conn.getresponse()
            self.status = response.status
            self.ready.set()
            if response.status != 200:
                response.read()
                return
            while True:
                line = response.fp.readline()
                if not line:
                    return
                if line.startswith(b"event: notification"):
                    self.arrivals.append(time.time())
        except OSError:
            self.ready.set()

    def close(self) -> None:
        if self.conn is not None and self.conn.sock is not None:
            self.conn.sock.close()


def open_streams(port: int, sessions: list[dict]) -> list[Stream]:
    streams = [Stream(port, s["session"]) for s in sessions]
    for stream in streams:
        stream.start()
    for stream in streams:
        stream.ready.wait(30)
    return streams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--out", default="/tmp/bench-live.json")
    args = parser.parse_args()

    from bench.http.run import free_port, stop_server

    workdir = Path(tempfile.mkdtemp(prefix="bench-live-"))
    database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
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
        "REDIS_URL": args.redis,
        "LIVE_STREAM_SECONDS": "600",
    }
    log(f"seeding {database_url}")
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    sessions = json.loads(
        subprocess.run(
            [python, "-m", "bench.live.seed"], cwd=ROOT, env=env, check=True, capture_output=True
        ).stdout
    )
    (workdir / "static").mkdir()
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [str(gunicorn), "config.wsgi", "-c", "config/gunicorn.conf.py"]
    cmd += ["--workers", "2", "--bind", f"127.0.0.1:{port}"]
    server_log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, start_new_session=True, stdout=server_log, stderr=server_log
    )
    streams: list[Stream] = []
    summary: dict = {"redis": bool(args.redis), "seconds_per_phase": args.seconds}
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

        log("phase 1: alone")
        summary["alone"] = percentiles(getter(port, args.seconds))

        log("phase 2: 20 streams open")
        streams = open_streams(port, sessions[:20])
        summary["streams_20"] = {
            "held": sum(s.status == 200 for s in streams),
            "refused_503": sum(s.status == 503 for s in streams),
            "get": percentiles(getter(port, args.seconds)),
        }

        log("phase 3: 60 streams asked for")
        streams += open_streams(port, sessions[20:])
        summary["streams_60"] = {
            "held": sum(s.status == 200 for s in streams),
            "refused_503": sum(s.status == 503 for s in streams),
            "get": percentiles(getter(port, args.seconds)),
        }

        log("phase 4: delivery from another process")
        pairs = zip(streams, sessions, strict=True)
        held = [(s, sess) for s, sess in pairs if s.status == 200][:10]
        delays = []
        for stream, session in held:
            before = len(stream.arrivals)
            out = subprocess.run(
                [python, "-m", "bench.live.send", str(session["user_id"])],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            committed = float(out.stdout.strip().splitlines()[-1])
            wait_until = time.monotonic() + 30
            while len(stream.arrivals) == before and time.monotonic() < wait_until:
                time.sleep(0.005)
            if len(stream.arrivals) > before:
                delays.append((stream.arrivals[-1] - committed) * 1000)
        summary["delivery"] = percentiles(delays) if delays else {"n": 0}
        summary["delivered"] = f"{len(delays)}/{len(held)}"
    finally:
        for stream in streams:
            stream.close()
        stop_server(proc)
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    print(text)
    Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
