"""The figures endpoint against a raw scan of the same rows, on PostgreSQL, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dandelion_bench_figures \\
        .venv/bin/python -m bench.figures.run [--events 1000000] [--repeat 5] \\
        [--out bench/figures/last.json]

Drops and recreates the database named in DATABASE_URL (it must end in `bench_figures` or
`_bench`, so a real database is never touched), migrates it, and writes a synthetic history
over one province (8 cities, 64 districts, 640 streets, 3,840 communities; stations, workers,
a department, a volunteer team, issuing accounts) of `--events` events spread over 2025-2026
with `generate_series` (a few minutes per 10 million):

| share | event | table |
|---:|---|---|
| 40% | visits (打卡), at most one per worker, station and day | stations_stationvisit |
| 15% | needs, half of them resolved | needs_need |
| 15% | snapshot reports, half of them fixed | reports_report |
| 15% | volunteer attendances, confirmed, with sign-ups | volunteering_attendance |
| 15% | ledger transfers: awards from a district's issuing account | points_transfer |

Then `figures_rebuild` builds the roll-ups (timed), and for a province, a city, a district
and a street over a year and over a month it times `GET /api/v1/figures` (the whole request
through Django's test client: routing, auth, every figure, children, monthly series; median of
`--repeat`) against one raw SQL scan that counts the same headline numbers from the event
tables (median of 3 runs), and checks that the numbers are identical. The target: the
endpoint under 5% of the raw scan. The full-size run is `--events 10000000`.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SHARES = {"visits": 0.40, "needs": 0.15, "reports": 0.15, "attendances": 0.15, "transfers": 0.15}
START = "2025-01-01 00:00:00+08"
DAYS = 730


def log(msg: str) -> None:
    print(f"[figures] {msg}", file=sys.stderr, flush=True)


def _recreate_database() -> None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    name = url.rsplit("/", 1)[-1]
    if not url.startswith("postgres") or not (
        name.endswith("bench_figures") or name.endswith("_bench")
    ):
        sys.exit("DATABASE_URL must name a PostgreSQL database ending in bench_figures or _bench")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _regions():
    from dandelion.regions.models import Region

    rows = [
        Region(code="360000", name="省", level="province", code_prefix="36", city_code="360000")
    ]
    Region.objects.bulk_create(rows)
    province = Region.objects.get(code="360000")
    cities = [
        Region(
            code=f"36{c:02d}00",
            name=f"市{c}",
            level="city",
            parent=province,
            code_prefix=f"36{c:02d}",
            city_code=f"36{c:02d}00",
        )
        for c in range(1, 9)
    ]
    Region.objects.bulk_create(cities)
    cities = list(Region.objects.filter(level="city"))
    districts = [
        Region(
            code=f"{city.code_prefix}{d:02d}",
            name=f"{city.name}区{d}",
            level="district",
            parent=city,
            code_prefix=f"{city.code_prefix}{d:02d}",
            city_code=city.code,
        )
        for city in cities
        for d in range(1, 9)
    ]
    Region.objects.bulk_create(districts)
    districts = list(Region.objects.filter(level="district"))
    streets = [
        Region(
            code=f"{district.code}{s:03d}",
            name=f"{district.name}街{s}",
            level="street",
            parent=district,
            code_prefix=f"{district.code}{s:03d}",
            city_code=district.city_code,
        )
        for district in districts
        for s in range(1, 11)
    ]
    Region.objects.bulk_create(streets)
    streets = list(Region.objects.filter(level="street"))
    communities = [
        Region(
            code=f"{street.code}{n:03d}",
            name=f"{street.name}社区{n}",
            level="community",
            parent=street,
            code_prefix=f"{street.code}{n:03d}",
            city_code=street.city_code,
        )
        for street in streets
        for n in range(1, 7)
    ]
    Region.objects.bulk_create(communities)


def _sql(cursor, label: str, sql: str, params=None) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params or {})
    log(f"{label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s")


def _generate(events: int) -> dict[str, int]:
    from django.db import connection

    n = {kind: int(events * share) for kind, share in SHARES.items()}
    users = max(2000, events // 50)
    stations = 4000
    activities = max(50, n["attendances"] // 40)
    p = {"users": users, "stations": stations, "activities": activities, "start": START}
    p.update({f"n_{k}": v for k, v in n.items()})
    rand_ts = f"(timestamptz %(start)s + (random() * {DAYS} * 86400) * interval '1 second')"
    with connection.cursor() as c:
        c.execute("SELECT setseed(0.16)")
        c.execute(
            """CREATE TEMP TABLE bench_comm AS
            SELECT row_number() OVER (ORDER BY r.id) - 1 AS n, r.id AS region_id, r.city_code,
                   d.id AS district_id
            FROM regions_region r JOIN regions_region s ON s.id = r.parent_id
            JOIN regions_region d ON d.id = s.parent_id WHERE r.level = 'community'"""
        )
        c.execute("SELECT count(*) FROM bench_comm")
        p["comms"] = c.fetchone()[0]
        _sql(
            c,
            "users",
            """INSERT INTO accounts_user (password, is_superuser, username, first_name,
            last_name, email, is_staff, is_active, date_joined, display_name)
            SELECT '!', false, 'b' || g, '', '', '', false, true, now(), 'w' || g
            FROM generate_series(1::bigint, %(users)s) g""",
            p,
        )
        c.execute("SELECT min(id) FROM accounts_user")
        p["u0"] = c.fetchone()[0]
        _sql(
            c,
            "stations",
            """INSERT INTO stations_station (name, city_code, address, lat, lng, h3_r5, h3_r7,
            h3_r9, phone, is_24h, status, created_at, updated_at, uuid, kind, origin,
            host_org_name, notes, region_id, visit_code, stars)
            SELECT 'st' || g, b.city_code, '', 29.7, 116.0, 0, 0, 0, '', g %% 5 = 0, 'active',
                   timestamptz '2024-06-01 00:00+08', now(), gen_random_uuid(),
                   'comprehensive', 'renovated', '', '', b.region_id, md5(g::text), 0
            FROM generate_series(0::bigint, %(stations)s - 1) g
            JOIN bench_comm b ON b.n = (g * 7) %% %(comms)s""",
            p,
        )
        c.execute("SELECT min(id) FROM stations_station")
        p["s0"] = c.fetchone()[0]
        c.execute(
            """INSERT INTO orgs_organisation (name, kind, city_code, path, description,
            is_active, code_version, created_at, updated_at, region_id)
            SELECT x.name, x.kind, '360100', x.name, '', true, 1, now(), now(),
                   (SELECT id FROM regions_region WHERE code = '360000')
            FROM (VALUES ('dept', 'government_department'), ('team', 'volunteer_team')) AS
                 x(name, kind)"""
        )
        c.execute("SELECT id FROM orgs_organisation WHERE name = 'dept'")
        p["dept"] = c.fetchone()[0]
        c.execute("SELECT id FROM orgs_organisation WHERE name = 'team'")
        p["team"] = c.fetchone()[0]
        c.execute(
            """INSERT INTO reports_reportcategory (city_code, code, name, name_en, description,
            "group", keywords, icon, "order", is_active, region_id)
            VALUES ('360000', 'garbage', '垃圾', '', '', '', '', '', 1, true,
                    (SELECT id FROM regions_region WHERE code = '360000'))"""
        )
        c.execute("SELECT id FROM reports_reportcategory")
        p["category"] = c.fetchone()[0]

        _sql(
            c,
            "visits",
            f"""INSERT INTO stations_stationvisit (day, visited_at, city_code, station_id,
            user_id, flag_reason, flagged, verified)
            SELECT (t AT TIME ZONE 'Asia/Shanghai')::date, t, '360100',
                   %(s0)s + (g * 7919) %% %(stations)s, %(u0)s + (g * 104729) %% %(users)s,
                   '', false, true
            FROM (SELECT g, {rand_ts} AS t FROM generate_series(1::bigint, %(n_visits)s) g) x
            ON CONFLICT DO NOTHING""",
            p,
        )
        _sql(
            c,
            "needs",
            f"""INSERT INTO needs_need (description, answers, address, urgency, city_code,
            state, department_id, client_token, submitted_at, resolved_at, accept_due_at,
            resolve_due_at, round, resolution, updated_at, region_id, worker_id)
            SELECT 'n', '{{}}', '', 'normal', b.city_code,
                   CASE WHEN g %% 2 = 0 THEN 'resolved' ELSE 'submitted' END,
                   CASE WHEN g %% 2 = 0 THEN %(dept)s END, '', t,
                   CASE WHEN g %% 2 = 0 THEN t + random() * interval '5 days' END,
                   t + interval '1 day', t + interval '3 days', 1, '', t, b.region_id,
                   %(u0)s + (g * 31) %% %(users)s
            FROM (SELECT g, {rand_ts} AS t FROM generate_series(1::bigint, %(n_needs)s) g) x
            JOIN bench_comm b ON b.n = (g * 13) %% %(comms)s""",
            p,
        )
        _sql(
            c,
            "reports",
            f"""INSERT INTO reports_report (city_code, source, description, lat, lng, h3_r9,
            address, attributes, media_url, contact, status, status_note, token, created_at,
            updated_at, fixed_at, region_id, category_id, reporter_id, client_token)
            SELECT b.city_code, 'h5', 'r', 29.7, 116.0, 0, '', '{{}}', '', '{{}}',
                   CASE WHEN g %% 2 = 0 THEN 'fixed' ELSE 'for_triage' END, '',
                   gen_random_uuid(), t, t,
                   CASE WHEN g %% 2 = 0 THEN t + random() * interval '10 days' END,
                   b.region_id, %(category)s, %(u0)s + (g * 17) %% %(users)s, ''
            FROM (SELECT g, {rand_ts} AS t FROM generate_series(1::bigint, %(n_reports)s) g) x
            JOIN bench_comm b ON b.n = (g * 11) %% %(comms)s""",
            p,
        )
        _sql(
            c,
            "activities",
            f"""INSERT INTO volunteering_activity (title, description, address, lat, lng,
            city_code, starts_at, ends_at, capacity, skills, points_per_hour, visibility,
            status, attendance_code, cancel_reason, created_at, updated_at, organisation_id,
            region_id)
            SELECT 'a', '', '', 29.7, 116.0, b.city_code, t, t + interval '3 hours', 100, '[]',
                   10, 'public', 'finished', gen_random_uuid(), '', t, t, %(team)s, b.region_id
            FROM (SELECT g, {rand_ts} AS t FROM generate_series(0::bigint, %(activities)s - 1) g) x
            JOIN bench_comm b ON b.n = (g * 5) %% %(comms)s""",
            p,
        )
        c.execute("SELECT min(id) FROM volunteering_activity")
        p["a0"] = c.fetchone()[0]
        _sql(
            c,
            "sign-ups",
            """INSERT INTO volunteering_signup (status, created_at, activity_id, user_id)
            SELECT 'confirmed', a.starts_at, a.id,
                   %(u0)s + (g / %(activities)s + (g %% %(activities)s) * 977) %% %(users)s
            FROM generate_series(0::bigint, %(n_attendances)s - 1) g
            JOIN volunteering_activity a ON a.id = %(a0)s + g %% %(activities)s""",
            p,
        )
        _sql(
            c,
            "attendances",
            """INSERT INTO volunteering_attendance (arrived_at, left_at, arrival_method,
            leaving_method, adjust_reason, activity_id, user_id, signup_id, state,
            credited_minutes, computed_minutes, confirmed_at)
            SELECT a.starts_at, a.ends_at, 'organiser', '', '', s.activity_id, s.user_id, s.id,
                   'confirmed', 60 + s.id %% 120, 60 + s.id %% 120,
                   a.ends_at + (s.id %% 72) * interval '1 hour'
            FROM volunteering_signup s JOIN volunteering_activity a ON a.id = s.activity_id""",
            p,
        )
        _sql(
            c,
            "accounts",
            """INSERT INTO points_account (kind, name, balance, created_at, region_id, user_id)
            SELECT 'issuer', 'issuer', 0, now(), id, NULL FROM regions_region
            WHERE level = 'district'
            UNION ALL
            SELECT 'worker', 'worker', 0, now(), NULL, id FROM accounts_user""",
            p,
        )
        c.execute("SELECT min(id) FROM points_account WHERE kind = 'worker'")
        p["w0"] = c.fetchone()[0]
        _sql(
            c,
            "transfers",
            f"""INSERT INTO points_transfer (reason, source_key, amount, event, occurred_at,
            memo, created_at, credit_id, debit_id)
            SELECT 'award', 'b' || g, 1 + g %% 20, '', t, '', t,
                   %(w0)s + (g * 7) %% %(users)s, i.id
            FROM (SELECT g, {rand_ts} AS t FROM generate_series(1::bigint, %(n_transfers)s) g) x
            JOIN bench_comm b ON b.n = (g * 3) %% %(comms)s
            JOIN points_account i ON i.kind = 'issuer' AND i.region_id = b.district_id""",
            p,
        )
        c.execute("ANALYZE")
        counts = {}
        for table in (
            "stations_stationvisit",
            "needs_need",
            "reports_report",
            "volunteering_attendance",
            "points_transfer",
        ):
            c.execute(f"SELECT count(*) FROM {table}")
            counts[table] = c.fetchone()[0]
    return counts


RAW_SQL = """
WITH r AS (SELECT id FROM regions_region WHERE code LIKE %(like)s),
v AS (
    SELECT count(*) AS visits, count(DISTINCT v.user_id) AS visitors
    FROM stations_stationvisit v JOIN stations_station s ON s.id = v.station_id
    WHERE s.region_id IN (SELECT id FROM r) AND NOT v.flagged
      AND v.day BETWEEN %(from)s AND %(to)s),
n AS (
    SELECT count(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s) AS sub,
           count(*) FILTER (WHERE resolved_at >= %(start)s AND resolved_at < %(end)s) AS res
    FROM needs_need WHERE region_id IN (SELECT id FROM r)),
p AS (
    SELECT count(*) FILTER (WHERE created_at >= %(start)s AND created_at < %(end)s) AS sub,
           count(*) FILTER (WHERE fixed_at >= %(start)s AND fixed_at < %(end)s) AS fixed
    FROM reports_report WHERE region_id IN (SELECT id FROM r)),
a AS (
    SELECT coalesce(sum(t.credited_minutes), 0) AS minutes,
           count(DISTINCT t.user_id) AS volunteers
    FROM volunteering_attendance t JOIN volunteering_activity x ON x.id = t.activity_id
    WHERE x.region_id IN (SELECT id FROM r) AND t.state = 'confirmed'
      AND t.confirmed_at >= %(start)s AND t.confirmed_at < %(end)s),
t AS (
    SELECT coalesce(sum(t.amount), 0) AS issued
    FROM points_transfer t JOIN points_account d ON d.id = t.debit_id
    WHERE d.region_id IN (SELECT id FROM r) AND t.reason = 'award'
      AND t.occurred_at >= %(start)s AND t.occurred_at < %(end)s)
SELECT v.visits, v.visitors, n.sub, n.res, p.sub, p.fixed, a.minutes, a.volunteers, t.issued
FROM v, n, p, a, t
"""
NAMES = (
    "visits.count",
    "visits.workers",
    "needs.submitted",
    "needs.resolved",
    "reports.submitted",
    "reports.fixed",
    "volunteering.minutes",
    "volunteering.volunteers",
    "points.issued",
)


def _raw(prefix: str, date_from: date, date_to: date) -> dict:
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.db import connection

    zone = ZoneInfo("Asia/Shanghai")
    params = {
        "like": prefix + "%",
        "from": date_from,
        "to": date_to,
        "start": datetime.combine(date_from, time.min, tzinfo=zone),
        "end": datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone),
    }
    with connection.cursor() as c:
        c.execute(RAW_SQL, params)
        return dict(zip(NAMES, (int(x) for x in c.fetchone()), strict=True))


def _endpoint_numbers(body: dict) -> dict:
    return {
        "visits.count": body["visits"]["count"],
        "visits.workers": body["visits"]["workers"],
        "needs.submitted": body["needs"]["submitted"],
        "needs.resolved": body["needs"]["resolved"],
        "reports.submitted": body["reports"]["submitted"],
        "reports.fixed": body["reports"]["fixed"],
        "volunteering.minutes": round(body["volunteering"]["hours"] * 60),
        "volunteering.volunteers": body["volunteering"]["volunteers"],
        "points.issued": body["points"]["issued"],
    }


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


BUILD_FILE = ROOT / "bench" / "figures" / "build.json"


def _build(args) -> dict:
    """Generate the history and rebuild the roll-ups; returns what was built and how long it
    took (also written to `build.json`, which `--phase time` reads)."""
    from django.core.management import call_command
    from django.db import connection

    from dandelion.figures import services
    from dandelion.figures.models import DailyFigure, FigurePerson

    started = time.perf_counter()
    if args.reuse:
        with connection.cursor() as c:
            c.execute(
                "TRUNCATE regions_region, accounts_user, figures_dailyfigure, "
                "figures_figureperson RESTART IDENTITY CASCADE"
            )
    else:
        call_command("migrate", verbosity=0)
    log(f"database ready in {time.perf_counter() - started:.0f} s")
    _regions()
    started = time.perf_counter()
    counts = _generate(args.events)
    generate_s = time.perf_counter() - started
    log(f"history generated in {generate_s:.0f} s: {counts}")
    started = time.perf_counter()
    with connection.cursor() as c:
        # The rebuild is an offline job: it may sort in memory (the requests timed below run
        # with the server's defaults).
        c.execute("SET work_mem = %s", [args.rebuild_work_mem])
    services.figures_rebuild()
    with connection.cursor() as c:
        c.execute("RESET work_mem")
    rebuild_s = time.perf_counter() - started
    log(f"roll-ups rebuilt in {rebuild_s:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as c:
        # What autovacuum does to a table after a bulk load, done at once: statistics, and
        # the visibility map that lets index-only scans skip the table.
        c.execute("VACUUM ANALYZE")
    vacuum_s = time.perf_counter() - started
    rollup_rows = {"daily": DailyFigure.objects.count(), "people": FigurePerson.objects.count()}
    log(f"vacuumed in {vacuum_s:.0f} s: {rollup_rows}")
    build = {
        "events": args.events,
        "rows": counts,
        "generate_s": round(generate_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "vacuum_s": round(vacuum_s, 1),
        "rollup_rows": rollup_rows,
    }
    BUILD_FILE.write_text(json.dumps(build, ensure_ascii=False, indent=1))
    return build


def _time(args) -> list[dict]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from dandelion.accounts.models import User

    setup_test_environment()
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        username="bench-admin", password=None
    )
    client = Client()
    client.force_login(admin)
    cases = [
        ("province", "360000", "36"),
        ("city", "360100", "3601"),
        ("district", "360101", "360101"),
        ("street", "360101001", "360101001"),
    ]
    periods = [
        ("year 2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("month 2025-06", date(2025, 6, 1), date(2025, 6, 30)),
        ("2025-03-10 to 2026-02-20", date(2025, 3, 10), date(2026, 2, 20)),
    ]
    results = []
    for level, code, prefix in cases:
        for label, date_from, date_to in periods:
            params = {"region": code, "from": date_from.isoformat(), "to": date_to.isoformat()}
            client.get("/api/v1/figures", params)  # warm-up

            def call(params=params):
                response = client.get("/api/v1/figures", params)
                assert response.status_code == 200, response.content
                return response.json()

            endpoint_ms, body = _timed(call, args.repeat)
            raw_ms, raw = _timed(lambda p=prefix, f=date_from, t=date_to: _raw(p, f, t), 3)
            got = _endpoint_numbers(body)
            row = {
                "region": f"{level} {code}",
                "period": label,
                "endpoint_ms": round(endpoint_ms, 1),
                "raw_scan_ms": round(raw_ms, 1),
                "ratio_pct": round(100 * endpoint_ms / raw_ms, 2),
                "identical": got == raw,
                "numbers": raw,
            }
            if got != raw:
                row["endpoint_numbers"] = got
            log(json.dumps(row, ensure_ascii=False))
            results.append(row)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "figures" / "last.json"))
    parser.add_argument(
        "--phase",
        choices=("all", "build", "time"),
        default="all",
        help="build: generate and rebuild only; time: time the requests on the database an "
        "earlier build left (its figures from build.json); all: both",
    )
    parser.add_argument("--rebuild-work-mem", default="256MB")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the migrated database of an earlier run and empty its tables instead",
    )
    args = parser.parse_args()

    if args.phase != "time" and not args.reuse:
        _recreate_database()
    import django

    django.setup()
    import subprocess

    from django.db import connection

    build = json.loads(BUILD_FILE.read_text()) if args.phase == "time" else _build(args)
    if args.phase == "build":
        return
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    summary = {
        **build,
        "commit": commit,
        "postgresql": connection.cursor().connection.info.server_version,
        "load_average": os.getloadavg(),
        "results": _time(args),
    }
    Path(args.out).write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
