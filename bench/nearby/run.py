"""Nearby benchmark, one database per process (Django binds its database at setup).

    .venv/bin/python -m bench.nearby.run --db postgres --stations 200000 --queries 1000 \
        --out /tmp/nearby-postgres.json

Resets the database, migrates it with the real migrations, loads the dataset with bulk_create,
then times and checks, over the same query points and limit:
- brute force: NumPy haversine over arrays of every active station, argpartition (the reference);
- the nearby index's ranking alone (`place_index.current().nearest`, ids in order);
- the `stations_nearby()` selector, as the API calls it: ranking, amenities and open-now of the
  hits, from the nearby index (which checks the places version at most once a second);
- PostGIS `ORDER BY geog <-> point LIMIT k` on a GiST-indexed geography column, where the server
  has PostGIS, as raw SQL through Django's own connection;
- the selector with one amenity and open-now at a fixed moment, against brute force over the
  stations that pass the same filters;
- the selector with `min_stars=4` (the few rated stations, a tree of their own in the index),
  against brute force over the stations of four stars or more.
Writes the numbers as JSON for bench/run.py to render.
"""

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench import dataset

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/dandelion_bench")
SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE_PATH", "/tmp/dandelion_bench.sqlite3"))
LIMIT = 10
WARMUP = 20
BATCH = 5000
SQL_SAMPLE = 200  # queries in the untimed SQL-statement pass
TIE_M = 1e-3  # distances closer than a millimetre are a tie
MIN_STARS = 4
# Star levels 0 (unrated) to 5, spread as Wuhu's 940 stations are (46 five-star, 42 four-star,
# the rest three-star or below), drawn from their own seed so the dataset's other columns stay.
STAR_P = (0.25, 0.08, 0.17, 0.41, 0.045, 0.045)
STAR_SEED = 14


def star_levels(n: int) -> np.ndarray:
    return np.random.default_rng(STAR_SEED).choice(6, size=n, p=STAR_P)


def log(msg: str) -> None:
    print(f"[nearby] {msg}", file=sys.stderr, flush=True)


# --- database reset and load -------------------------------------------------------------------


def reset_database(db: str) -> str:
    if db == "postgres":
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        with psycopg.connect(
            base.replace("postgres://", "postgresql://") + "/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return PG_URL
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_PATH}"


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def load(st: dataset.Stations) -> dict:
    """Regions, then stations with amenities, weekly hours and dated exceptions."""
    from django.db import transaction

    from bench.cities import PROVINCES
    from dandelion.core.geo import h3_cells
    from dandelion.regions.divisions import city_code_for, code_prefix, level_for_code
    from dandelion.regions.models import Region
    from dandelion.stations.models import Amenity, HoursException, OpeningInterval, Station

    cs = dataset.cities()
    counts: Counter = Counter()
    t0 = time.perf_counter()
    with transaction.atomic():
        provinces = Region.objects.bulk_create(
            Region(
                code=f"{prefix}0000",
                name=name,
                name_en=name_en,
                level=level_for_code(f"{prefix}0000"),
                code_prefix=code_prefix(f"{prefix}0000"),
                city_code=city_code_for(f"{prefix}0000"),
                timezone=tz,
            )
            for prefix, (name, name_en, tz) in PROVINCES.items()
        )
        by_prefix = {r.code[:2]: r for r in provinces}
        city_regions = Region.objects.bulk_create(
            Region(
                code=c.code,
                name=c.name,
                name_en=c.name_en,
                level=level_for_code(c.code),
                parent=by_prefix[c.code[:2]],
                code_prefix=code_prefix(c.code),
                city_code=city_code_for(c.code),
                center_lat=c.lat,
                center_lng=c.lng,
                timezone=c.timezone,
            )
            for c in cs
        )
        counts["regions"] = len(provinces) + len(city_regions)
        amenity_ids = dict(Amenity.objects.values_list("code", "id"))
        missing = set(dataset.AMENITY_CODES) - set(amenity_ids)
        if missing:
            raise SystemExit(f"amenity catalogue lacks {sorted(missing)}")
        column_ids = [amenity_ids[c] for c in dataset.AMENITY_CODES]
        through = Station.amenities.through
        statuses = [s for s, _ in dataset.STATUSES]
        kinds = [k for k, _ in dataset.KINDS]
        origins = [o for o, _ in dataset.ORIGINS]
        lat_list, lng_list = st.lat.tolist(), st.lng.tolist()
        stars = star_levels(len(st)).tolist()
        for start in range(0, len(st), BATCH):
            end = min(start + BATCH, len(st))
            objs = []
            for i in range(start, end):
                region = city_regions[st.city[i]]
                lat, lng = lat_list[i], lng_list[i]
                objs.append(
                    Station(
                        uuid=uuid.UUID(bytes=st.uuid_bytes[i].tobytes(), version=4),
                        name=f"{region.name}驿站{i + 1:06d}",
                        region=region,
                        city_code=region.city_code,
                        address=f"{region.name}示范路{i % 997 + 1}号",
                        lat=lat,
                        lng=lng,
                        **h3_cells(lat, lng),
                        is_24h=bool(st.is_24h[i]),
                        status=statuses[st.status[i]],
                        kind=kinds[st.kind[i]],
                        origin=origins[st.origin[i]],
                        area_m2=int(st.area_m2[i]),
                        stars=stars[i],
                    )
                )
            Station.objects.bulk_create(objs, batch_size=BATCH)
            links, intervals, exceptions = [], [], []
            for i, obj in zip(range(start, end), objs, strict=True):
                for col in np.flatnonzero(st.amenities[i]):
                    links.append(through(station_id=obj.pk, amenity_id=column_ids[col]))
                if st.pattern[i] >= 0:
                    for weekday, opens, closes in dataset.HOURS_PATTERNS[st.pattern[i]][2]:
                        intervals.append(
                            OpeningInterval(
                                station_id=obj.pk, weekday=weekday, opens=opens, closes=closes
                            )
                        )
                for day, closed, opens, closes, note in dataset.exception_rows(st.exception[i]):
                    exceptions.append(
                        HoursException(
                            station_id=obj.pk,
                            date=day,
                            closed=closed,
                            opens=opens,
                            closes=closes,
                            note=note,
                        )
                    )
            through.objects.bulk_create(links, batch_size=BATCH)
            OpeningInterval.objects.bulk_create(intervals, batch_size=BATCH)
            HoursException.objects.bulk_create(exceptions, batch_size=BATCH)
            counts["stations"] += len(objs)
            counts["station_amenities"] += len(links)
            counts["opening_intervals"] += len(intervals)
            counts["hours_exceptions"] += len(exceptions)
            if (end // BATCH) % 10 == 0 or end == len(st):
                log(f"loaded {end}/{len(st)} stations ({time.perf_counter() - t0:.0f} s)")
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    analyze()
    return {"rows": dict(counts), "load_s": load_s, "analyze_s": time.perf_counter() - t1}


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")


def setup_postgis() -> dict:
    """A side table (id, status, geography) with a GiST index, copied from stations_station."""
    from django.db import connection

    info: dict = {}
    try:
        with connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            cur.execute("SELECT postgis_lib_version()")
            info["version"] = cur.fetchone()[0]
    except Exception as exc:  # no PostGIS on this server
        info["error"] = f"{type(exc).__name__}: {exc}".strip()
        return info
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_station_geog")
        cur.execute(
            "CREATE TABLE bench_station_geog AS SELECT id, status, "
            "ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography AS geog FROM stations_station"
        )
        cur.execute("ALTER TABLE bench_station_geog ADD PRIMARY KEY (id)")
        cur.execute("CREATE INDEX bench_station_geog_gist ON bench_station_geog USING gist (geog)")
        cur.execute("VACUUM ANALYZE bench_station_geog")
    info["build_s"] = time.perf_counter() - t0
    return info


POSTGIS_SQL = (
    "SELECT id FROM bench_station_geog WHERE status = 'active' "
    "ORDER BY geog <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography LIMIT %s"
)


# --- the reference -----------------------------------------------------------------------------


class Brute:
    """Exact k-nearest by great-circle distance over arrays of every candidate row."""

    def __init__(self, ids: np.ndarray, lat: np.ndarray, lng: np.ndarray):
        from dandelion.core.geo import EARTH_RADIUS_M

        self.ids = ids
        self.lat_r = np.radians(lat)
        self.lng_r = np.radians(lng)
        self.cos_lat = np.cos(self.lat_r)
        self.two_r = 2 * EARTH_RADIUS_M

    def distances(self, lat: float, lng: float, idx: np.ndarray | slice = slice(None)):
        p, lam = np.radians(lat), np.radians(lng)
        a = (
            np.sin((self.lat_r[idx] - p) * 0.5) ** 2
            + np.cos(p) * self.cos_lat[idx] * np.sin((self.lng_r[idx] - lam) * 0.5) ** 2
        )
        return self.two_r * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

    def nearest(self, lat: float, lng: float, k: int) -> list[int]:
        d = self.distances(lat, lng)
        idx = np.argpartition(d, k - 1)[:k] if len(d) > k else np.arange(len(d))
        idx = idx[np.lexsort((self.ids[idx], d[idx]))]
        return self.ids[idx].tolist()


class Checker:
    """Compares an answer with brute force over the same eligible rows, ties aside."""

    def __init__(self, all_ids: np.ndarray, all_lat, all_lng):
        self.all = Brute(all_ids, all_lat, all_lng)

    def verdict(self, lat, lng, got: list[int], ref: list[int], eligible: np.ndarray) -> str:
        """Returns "identical", "tie" (same distances at every rank; order or members differ among
        equal distances) or "wrong"."""
        if got == ref:
            return "identical"
        if len(got) != len(ref) or len(set(got)) != len(got):
            return "wrong"
        pos = np.searchsorted(self.all.ids, got)
        if (
            (pos >= len(self.all.ids)).any()
            or (self.all.ids[np.minimum(pos, len(self.all.ids) - 1)] != got).any()
            or not eligible[pos].all()
        ):
            return "wrong"
        ref_pos = np.searchsorted(self.all.ids, ref)
        dg = self.all.distances(lat, lng, pos)
        dr = self.all.distances(lat, lng, ref_pos)
        return "tie" if np.all(np.abs(dg - dr) <= TIE_M) else "wrong"


def brute_data(moment) -> dict:
    """Every station row as stored, with its amenity and open-now status at `moment`."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from dandelion.stations.hours import DayException, WeeklyHours, exception_window
    from dandelion.stations.models import HoursException, OpeningInterval, Station

    t0 = time.perf_counter()
    rows = list(
        Station.objects.order_by("id").values_list(
            "id", "lat", "lng", "status", "is_24h", "region__timezone", "stars"
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    lat = np.array([r[1] for r in rows])
    lng = np.array([r[2] for r in rows])
    active = np.array([r[3] == "active" for r in rows])
    starred = np.array([r[6] >= MIN_STARS for r in rows])
    has_amenity = np.isin(
        ids,
        np.fromiter(
            Station.amenities.through.objects.filter(
                amenity__code=dataset.FILTER_AMENITY
            ).values_list("station_id", flat=True),
            dtype=np.int64,
        ),
    )
    intervals: dict[int, list] = {}
    for sid, *rest in OpeningInterval.objects.filter(station__isnull=False).values_list(
        "station_id", "weekday", "opens", "closes"
    ):
        intervals.setdefault(sid, []).append(tuple(rest))
    start, end = exception_window(timezone.localdate(moment))
    exceptions: dict[int, list] = {}
    for sid, *rest in HoursException.objects.filter(
        station__isnull=False, date__range=(start, end)
    ).values_list("station_id", "date", "closed", "opens", "closes"):
        exceptions.setdefault(sid, []).append(DayException(*rest))
    zones: dict[str, ZoneInfo] = {}
    open_now = np.array(
        [
            WeeklyHours.build(
                is_24h=is_24h,
                intervals=intervals.get(sid, ()),
                exceptions=exceptions.get(sid, ()),
            ).is_open_at(moment, zones.setdefault(tz, ZoneInfo(tz)))
            for sid, _, _, _, is_24h, tz, _ in rows
        ]
    )
    return {
        "ids": ids,
        "lat": lat,
        "lng": lng,
        "active": active,
        "filtered": active & has_amenity & open_now,
        "stars": active & starred,
        "stats": {
            "min_stars": int((active & starred).sum()),
            "active": int(active.sum()),
            "with_amenity": int((active & has_amenity).sum()),
            "open_now": int((active & open_now).sum()),
            "amenity_and_open": int((active & has_amenity & open_now).sum()),
            "prepare_s": time.perf_counter() - t0,
        },
    }


# --- timing ------------------------------------------------------------------------------------


def run_interleaved(
    methods: list[tuple[str, Callable[[float, float], list[int]]]],
    qlat: list[float],
    qlng: list[float],
) -> dict[str, tuple[list[float], list[list[int]]]]:
    """Times every method on every query, query by query (the method order rotating), so that
    load from other processes on a shared machine falls on all methods alike."""
    for _, fn in methods:
        for i in range(min(WARMUP, len(qlat))):
            fn(qlat[i], qlng[i])
    n = len(qlat)
    times: dict[str, list[float]] = {key: [0.0] * n for key, _ in methods}
    answers: dict[str, list[list[int]]] = {key: [[]] * n for key, _ in methods}
    t_all = time.perf_counter()
    for i in range(n):
        shift = i % len(methods)
        for key, fn in methods[shift:] + methods[:shift]:
            t0 = time.perf_counter()
            got = fn(qlat[i], qlng[i])
            times[key][i] = time.perf_counter() - t0
            answers[key][i] = got
        if (i + 1) % 100 == 0 or i + 1 == n:
            log(f"{i + 1}/{n} queries, {time.perf_counter() - t_all:.0f} s")
    return {key: (times[key], answers[key]) for key, _ in methods}


def summary(times: list[float]) -> dict:
    ms = np.array(times) * 1000
    return {
        "p50_ms": float(np.percentile(ms, 50)),
        "p90_ms": float(np.percentile(ms, 90)),
        "p99_ms": float(np.percentile(ms, 99)),
        "mean_ms": float(ms.mean()),
        "max_ms": float(ms.max()),
    }


def _reads_every_row(sql: str) -> bool:
    """A candidate query of stations filtered by no H3 cell and no id list."""
    parts = sql.split(" FROM ", 1)
    if not sql.lstrip().upper().startswith("SELECT") or len(parts) < 2:
        return False
    rest = parts[1]
    return (
        rest.startswith('"stations_station"')
        and "h3_r" not in rest
        and '"stations_station"."id" IN' not in rest
    )


def sql_profile(fn: Callable[[float, float], object], qlat, qlng) -> dict:
    """SQL statements per call, and how many calls fell back to reading every row (a statement
    that filters on no H3 column). Untimed."""
    from django.db import connection

    statements: list[str] = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    per_call, full_scans = [], 0
    with connection.execute_wrapper(wrapper):
        for lat, lng in zip(qlat, qlng, strict=True):
            statements.clear()
            fn(lat, lng)
            per_call.append(len(statements))
            full_scans += any(_reads_every_row(s) for s in statements)
    arr = np.array(per_call)
    return {
        "statements_mean": float(arr.mean()),
        "statements_max": int(arr.max()),
        "rank_every_row_calls": int(full_scans),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), required=True)
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--build-only", action="store_true", help="load the dataset, measure nothing"
    )
    args = parser.parse_args()

    result: dict = {
        "db": args.db,
        "stations": args.stations,
        "queries": args.queries,
        "limit": LIMIT,
    }
    url = reset_database(args.db)
    django_setup(url)
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    result["migrate_s"] = time.perf_counter() - t0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            result["server_version"] = f"PostgreSQL {cur.fetchone()[0]}"
        else:
            result["server_version"] = f"SQLite {sqlite3.sqlite_version}"
    log(f"{result['server_version']}: generating {args.stations} stations")
    st = dataset.stations(args.stations)
    result["load"] = load(st)
    log(f"loaded in {result['load']['load_s']:.0f} s: {result['load']['rows']}")
    if connection.vendor == "postgresql":
        result["postgis"] = setup_postgis()
        log(f"PostGIS: {result['postgis']}")
    if args.build_only:
        args.out.write_text(json.dumps(result, indent=1))
        return
    measure(result, args.queries)
    args.out.write_text(json.dumps(result, indent=1))


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def index_profile(place_index, moment) -> dict:
    """Builds the nearby index from scratch three times: build time, and memory (the process's
    resident set before and after the first build, and the index's own objects)."""
    import gc

    place_index.reset()
    gc.collect()
    before = _rss_mib()
    builds = []
    for i in range(3):
        if i:
            place_index.reset()
        index = place_index.current(moment)
        builds.append(index.build_seconds)
        if i == 0:
            rss_growth = _rss_mib() - before
    return {
        "stations": len(index.stations),
        "partners": len(index.partners),
        "build_s": builds,
        "rss_growth_mib": rss_growth,
        "objects_mib": index.approximate_size_bytes() / 2**20,
    }


def measure(result: dict, n_queries: int) -> None:
    from django.db import connection

    from dandelion.stations import place_index
    from dandelion.stations.models import Station
    from dandelion.stations.selectors import stations_nearby

    moment = dataset.BENCH_MOMENT
    q = dataset.queries(n_queries)
    qlat, qlng = q.lat.tolist(), q.lng.tolist()
    data = brute_data(moment)
    result["eligible"] = data["stats"]
    log(f"brute-force arrays: {data['stats']}")
    checker = Checker(data["ids"], data["lat"], data["lng"])
    eligible_all = data["active"]
    eligible_filtered = data["filtered"]
    brute_all = Brute(*(data[k][eligible_all] for k in ("ids", "lat", "lng")))
    brute_filtered = Brute(*(data[k][eligible_filtered] for k in ("ids", "lat", "lng")))
    eligible_stars = data["stars"]
    brute_stars = Brute(*(data[k][eligible_stars] for k in ("ids", "lat", "lng")))
    result["index"] = index_profile(place_index, moment)
    log(f"nearby index: {result['index']}")
    index = place_index.current(moment)

    methods: list[tuple[str, str, Callable, str]] = [
        (
            "brute",
            "brute force, NumPy over all active rows",
            lambda la, ln: brute_all.nearest(la, ln, LIMIT),
            "all",
        ),
        (
            "index",
            "nearby index, ranking only",
            lambda la, ln: [
                r.place.id for r in index.nearest(Station, lat=la, lng=ln, limit=LIMIT)
            ],
            "all",
        ),
        (
            "selector",
            "stations_nearby() selector (nearby index)",
            lambda la, ln: [
                h.place.id for h in stations_nearby(lat=la, lng=ln, limit=LIMIT, now=moment)
            ],
            "all",
        ),
    ]
    if result.get("postgis", {}).get("version"):

        def postgis(la, ln):
            with connection.cursor() as cur:
                cur.execute(POSTGIS_SQL, [ln, la, LIMIT])
                return [r[0] for r in cur.fetchall()]

        methods.append(
            ("postgis", "PostGIS KNN `ORDER BY geog <-> pt LIMIT k` (raw SQL)", postgis, "all")
        )
        with connection.cursor() as cur:
            cur.execute("EXPLAIN " + POSTGIS_SQL, [qlng[0], qlat[0], LIMIT])
            result["postgis"]["plan"] = [r[0] for r in cur.fetchall()]
    methods += [
        (
            "brute_filtered",
            f"brute force, same filters (amenity={dataset.FILTER_AMENITY}, open now)",
            lambda la, ln: brute_filtered.nearest(la, ln, LIMIT),
            "filtered",
        ),
        (
            "selector_filtered",
            f"stations_nearby(amenity={dataset.FILTER_AMENITY}, open_at=now)",
            lambda la, ln: [
                h.place.id
                for h in stations_nearby(
                    lat=la,
                    lng=ln,
                    limit=LIMIT,
                    amenity_codes=[dataset.FILTER_AMENITY],
                    open_at=moment,
                    now=moment,
                )
            ],
            "filtered",
        ),
        (
            "brute_stars",
            f"brute force, same filter (min_stars={MIN_STARS})",
            lambda la, ln: brute_stars.nearest(la, ln, LIMIT),
            "stars",
        ),
        (
            "selector_stars",
            f"stations_nearby(min_stars={MIN_STARS})",
            lambda la, ln: [
                h.place.id
                for h in stations_nearby(
                    lat=la, lng=ln, limit=LIMIT, min_stars=MIN_STARS, now=moment
                )
            ],
            "stars",
        ),
    ]

    result["load_average"] = {"start": os.getloadavg()}
    timed = run_interleaved([(key, fn) for key, _, fn, _ in methods], qlat, qlng)
    result["load_average"]["end"] = os.getloadavg()
    refs: dict[str, list[list[int]]] = {}
    out: dict[str, dict] = {}
    for key, label, fn, scope in methods:
        times, answers = timed[key]
        ref_key = {"all": "brute", "filtered": "brute_filtered", "stars": "brute_stars"}[scope]
        if key == ref_key:
            refs[scope] = answers
        if key == "brute":
            result["reference_sample"] = [
                {
                    "lat": qlat[i],
                    "lng": qlng[i],
                    "ids": answers[i],
                    "distances_m": checker.all.distances(
                        qlat[i], qlng[i], np.searchsorted(checker.all.ids, answers[i])
                    ).tolist(),
                }
                for i in range(min(20, len(qlat)))
            ]
        ref = refs[scope]
        eligible = {"all": eligible_all, "filtered": eligible_filtered, "stars": eligible_stars}[
            scope
        ]
        verdicts = [
            checker.verdict(qlat[i], qlng[i], answers[i], ref[i], eligible)
            for i in range(len(qlat))
        ]
        counts = Counter(verdicts)
        wrong = [i for i, v in enumerate(verdicts) if v == "wrong"]
        by_cat: dict[str, dict] = {}
        for cat in ("city", "suburb", "rural", "remote"):
            sel = [times[i] for i in range(len(qlat)) if q.category[i] == cat]
            if sel:
                by_cat[cat] = {"n": len(sel), **summary(sel)}
        out[key] = {
            "label": label,
            "scope": scope,
            **summary(times),
            "identical": counts["identical"],
            "ties": counts["tie"],
            "exact": counts["identical"] + counts["tie"],
            "wrong": counts["wrong"],
            "wrong_examples": [
                {"lat": qlat[i], "lng": qlng[i], "got": answers[i], "expected": ref[i]}
                for i in wrong[:5]
            ],
            "by_category": by_cat,
        }
        log(
            f"  {key}: p50 {out[key]['p50_ms']:.2f} ms, p99 {out[key]['p99_ms']:.2f} ms, "
            f"exact {out[key]['exact']}/{len(qlat)} (ties {counts['tie']})"
        )
        if key in ("index", "selector", "selector_filtered", "selector_stars"):
            out[key]["sql"] = sql_profile(fn, qlat[:SQL_SAMPLE], qlng[:SQL_SAMPLE])
            log(f"  {key} SQL: {out[key]['sql']}")
    result["methods"] = out
    result["query_categories"] = dict(Counter(q.category))


if __name__ == "__main__":
    main()
