"""The demo city's station facts and work logs (issue 14). Deterministic per seed; running it
again creates nothing new.

- Every station gets an area and a seat count where it has none, and a date its facts were
  last confirmed (from a few days to about seven months ago, a few never).
- Every Xunyang station (the district `xunyang_admin` runs) gets six months of work log
  through `stations.services.service_log_add`: refills of the free-drinks fridge most weeks,
  and now and then a free health check, legal or counselling session, a training or haircuts.
  The entries are logged by the station's manager where it has one, else by the admin.
- Stations without a photo get one drawn picture of a station front, captioned as such
  (示意图), so the station page shows what a photo looks like.
"""

import io
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from dandelion.accounts.models import RoleAssignment, User
from dandelion.stations.models import Station, StationPhoto, StationServiceLog
from dandelion.stations.services import service_log_add, station_photo_add, station_update

from .city import DEFAULT_SEED

DISTRICT = "360403"  # 浔阳区
ADMIN = "xunyang_admin"
MONTHS = 6
KEY_PREFIX = "demo-worklog:"
# (service kind, chance in a given week, people served range)
OCCASIONAL = (
    ("health_check", 0.12, (15, 60)),
    ("legal", 0.10, (3, 15)),
    ("counselling", 0.06, (2, 10)),
    ("training", 0.05, (10, 40)),
    ("haircut", 0.08, (8, 30)),
)
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
PHOTO_CAPTION = "驿站外观（示意图）"


def _facts(rng: random.Random, now, created: Counter) -> None:
    for station in Station.objects.select_related("region").order_by("uuid"):
        area = station.area_m2 or rng.randint(18, 120)
        seats = station.seats or rng.randint(4, 24)
        if (station.area_m2, station.seats) != (area, seats):
            station_update(station=station, area_m2=area, seats=seats)
            created["station facts"] += 1
        # One station in ten has never been confirmed (by its uuid, so a second load agrees).
        if station.facts_confirmed_at is None and station.uuid.int % 10:
            confirmed = now - timedelta(days=rng.randint(3, 210), hours=rng.randint(0, 10))
            Station.objects.filter(pk=station.pk).update(facts_confirmed_at=confirmed)


def _loggers() -> tuple[dict[int, User], User | None]:
    managers = {
        a.station_id: a.user
        for a in RoleAssignment.objects.filter(
            role="station_manager", station__isnull=False
        ).select_related("user")
    }
    return managers, User.objects.filter(username=ADMIN).first()


def _work_log(rng: random.Random, today, created: Counter) -> None:
    managers, admin = _loggers()
    stations = Station.objects.filter(
        region__code__startswith=DISTRICT, status=Station.Status.ACTIVE
    ).select_related("region")
    for station in stations.order_by("uuid"):
        actor = managers.get(station.pk, admin)
        done = StationServiceLog.objects.filter(
            station=station, idempotency_key__startswith=KEY_PREFIX
        ).exists()
        if actor is None or done:
            continue
        has_fridge = rng.random() < 0.7
        for week in range(MONTHS * 52 // 12, 0, -1):
            monday = today - timedelta(days=today.weekday() + 7 * week)
            entries = []
            if has_fridge and rng.random() < 0.8:
                entries.append(("drinks_refill", 0, rng.randint(24, 96)))
            for kind, chance, (low, high) in OCCASIONAL:
                if rng.random() < chance:
                    entries.append((kind, rng.randint(low, high), None))
            for kind, people, bottles in entries:
                day = monday + timedelta(days=rng.randint(0, 6))
                if day > today:
                    continue
                service_log_add(
                    actor=actor,
                    station=station,
                    day=day,
                    kind_code=kind,
                    people_served=people,
                    bottles=bottles,
                    idempotency_key=f"{KEY_PREFIX}{station.uuid}:{day}:{kind}",
                )
                created["work log entries"] += 1


def _drawn_front(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A drawn station front: a wall, a green sign band, a door and windows."""
    width, height = 640, 420
    image = Image.new("RGB", (width, height), (236, 240, 236))
    draw = ImageDraw.Draw(image)
    wall = tuple(rng.randint(200, 235) for _ in range(3))
    draw.rectangle((40, 90, 600, 400), fill=wall)
    draw.rectangle((40, 60, 600, 130), fill=(7, 160, 90))
    draw.rectangle((250, 210, 390, 400), fill=(120, 160, 190))
    for left in (80, 430):
        draw.rectangle((left, 190, left + 130, 300), fill=(180, 210, 230), outline=(90, 90, 90))
    if FONT.exists():
        font = ImageFont.truetype(str(FONT), 36)
        text = name[:14]
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (box[2] - box[0])) / 2, 74), text, fill="white", font=font)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile("front.jpg", out.getvalue(), "image/jpeg")


def _photos(rng: random.Random, created: Counter) -> None:
    with_photo = StationPhoto.objects.values_list("station_id", flat=True)
    for station in Station.objects.exclude(pk__in=with_photo).order_by("uuid"):
        station_photo_add(
            station=station, upload=_drawn_front(rng, station.name), caption=PHOTO_CAPTION
        )
        created["station photos"] += 1


def demo_worklog_load(*, seed: int = DEFAULT_SEED) -> dict[str, int]:
    rng = random.Random(seed * 7 + 14)
    created: Counter = Counter()
    now = timezone.now()
    _facts(rng, now, created)
    _work_log(rng, timezone.localdate(now), created)
    _photos(rng, created)
    return dict(created)
