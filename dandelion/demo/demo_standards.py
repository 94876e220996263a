"""The demo city's star ratings (issue 14). Deterministic per seed; running it again changes
nothing.

- The standard: Jiujiang publishes its own, a copy of the platform default (8 first-level, 21
  second-level indicators, loaded by migration) whose five stars ask for a first-aid kit rather
  than an AED.
- A finished round, "2025年度驿站星级评定", over every active station of Jiujiang (360400):
  each assessment approved with a realistic spread (a few five-star stations, where the
  prerequisites hold; most three stars or below; some below 60, unrated), its scores, its
  four event rows, and the stars awarded through `stations.services.station_stars_set` with a
  year's validity from approval. No station's facts are changed.
- A round in progress, "2026年度复评（甘棠街道）", through the services: some stations still
  drafting, some self-assessed with evidence photos, one reviewed, one returned for more
  evidence; and an assessment of `station_manager_1`'s station waiting for its self-assessment.
"""

import io
import random
from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from dandelion.accounts.models import User
from dandelion.regions.models import Region
from dandelion.standards import selectors, services
from dandelion.standards.models import (
    Assessment,
    AssessmentEvent,
    AssessmentRound,
    AssessmentScore,
    Indicator,
    Standard,
)
from dandelion.standards.workflow import OPEN_STATES
from dandelion.stations.models import Station
from dandelion.stations.services import station_stars_set

from .city import DEFAULT_SEED
from .people import district_stations

CITY = "360400"
STREET = "360403001"  # 甘棠街道
FINISHED = "2025年度驿站星级评定"
IN_PROGRESS = "2026年度复评（甘棠街道）"
# Target totals by share of stations: five stars are rare, most are three or below.
SPREAD = (
    (0.04, (95, 99)),  # 5★
    (0.10, (88, 94)),  # 4★
    (0.38, (80, 87)),  # 3★
    (0.22, (70, 79)),  # 2★
    (0.14, (60, 69)),  # 1★
    (0.12, (45, 59)),  # unrated
)
TENTH = Decimal("0.1")


def _target(rng: random.Random) -> int:
    roll, acc = rng.random(), 0.0
    for share, (low, high) in SPREAD:
        acc += share
        if roll < acc:
            return rng.randint(low, high)
    return rng.randint(*SPREAD[-1][1])


def _photo(rng: random.Random) -> SimpleUploadedFile:
    out = io.BytesIO()
    colour = tuple(rng.randint(60, 220) for _ in range(3))
    Image.new("RGB", (96, 72), colour).save(out, format="JPEG")
    return SimpleUploadedFile("evidence.jpg", out.getvalue(), "image/jpeg")


def _city_standard(city, created: Counter) -> None:
    """Jiujiang's own standard: the default's indicators, but five stars ask for a first-aid
    kit where the default asks for an AED (none of the demo stations has one yet)."""
    if Standard.objects.filter(region=city).exists():
        return
    system = _superuser()
    draft = services.standard_draft_create(actor=system, region=city)
    services.standard_draft_update(
        actor=system,
        standard_id=draft.pk,
        name="九江市驿站星级评定标准",
        levels={5: {"required_amenities": ["first_aid"]}},
    )
    services.standard_publish(actor=system, standard_id=draft.pk)
    created["standard published"] += 1


def _finished_round(rng: random.Random, admin, reviewer, created: Counter) -> None:
    if AssessmentRound.objects.filter(name=FINISHED).exists():
        return
    city = Region.objects.filter(code=CITY).first()
    if city is None:
        return
    _city_standard(city, created)
    now = timezone.now().replace(microsecond=0)
    opened_at = now - timedelta(days=80)
    standard = selectors.standard_in_force(region=city)
    if standard is None:
        return
    indicators = list(Indicator.objects.filter(group__standard=standard).select_related("group"))
    stations = list(
        Station.objects.filter(region__code__startswith="3604", status="active")
        .select_related("region")
        .order_by("uuid")
    )
    with transaction.atomic():
        round = AssessmentRound.objects.create(
            region=city,
            name=FINISHED,
            opened_by=admin,
            opened_at=opened_at,
            due_on=(opened_at + timedelta(days=30)).date(),
        )
        for station in stations:
            target = _target(rng)
            approved_at = opened_at + timedelta(days=rng.randint(15, 30), hours=rng.randint(1, 8))
            assessment = Assessment.objects.create(
                station=station,
                standard=standard,
                round=round,
                state=Assessment.State.APPROVED,
                created_at=opened_at,
                approved_at=approved_at,
                valid_until=timezone.localdate(approved_at) + timedelta(days=365),
            )
            share = Decimal(target) / 100
            scores = [
                AssessmentScore(
                    assessment=assessment,
                    indicator=i,
                    self_points=(i.max_points * min(Decimal(1), share + Decimal("0.05"))).quantize(
                        TENTH, ROUND_HALF_UP
                    ),
                    reviewed_points=(
                        Decimal(rng.randint(0, 5))
                        if i.is_bonus and target >= 88
                        else Decimal(0)
                        if i.is_bonus
                        else (i.max_points * share).quantize(TENTH, ROUND_HALF_UP)
                    ),
                )
                for i in indicators
            ]
            AssessmentScore.objects.bulk_create(scores)
            for score in scores:
                score.indicator = next(i for i in indicators if i.pk == score.indicator_id)
            assessment.total, assessment.stars, assessment.shortfalls = services.compute_stars(
                assessment, scores
            )
            assessment.save(update_fields=["total", "stars", "shortfalls"])
            steps = [
                ("create", "", "draft", "region_admin", admin, opened_at, FINISHED),
                (
                    "submit",
                    "draft",
                    "self_assessed",
                    "station_manager",
                    None,
                    opened_at + timedelta(days=5),
                    "",
                ),
                (
                    "review",
                    "self_assessed",
                    "reviewed",
                    "reviewer",
                    reviewer,
                    approved_at - timedelta(days=3),
                    "现场核查完毕",
                ),
                ("approve", "reviewed", "approved", "approver", admin, approved_at, ""),
            ]
            AssessmentEvent.objects.bulk_create(
                [
                    AssessmentEvent(
                        assessment=assessment,
                        action=a,
                        from_state=f,
                        to_state=t,
                        actor_role=role,
                        actor=who,
                        created_at=at,
                        note=note,
                    )
                    for a, f, t, role, who, at, note in steps
                ]
            )
            station_stars_set(
                station=station,
                stars=assessment.stars,
                valid_until=assessment.valid_until if assessment.stars else None,
                reason=f"assessment:{assessment.pk}",
                actor=admin,
            )
            created["assessment approved"] += 1
            created[f"{assessment.stars} stars"] += 1


def _round_in_progress(rng: random.Random, admin, reviewer, created: Counter) -> None:
    if AssessmentRound.objects.filter(name=IN_PROGRESS).exists() or admin is None:
        return
    now = timezone.now().replace(microsecond=0)
    first = next(iter(district_stations()), None)
    # The round skips stations with an open assessment; the finished round's are approved.
    round = services.round_open(
        actor=admin,
        region_code=STREET,
        name=IN_PROGRESS,
        due_on=(now + timedelta(days=20)).date(),
        at=now - timedelta(days=6),
    )
    created["assessment in progress"] += round.assessments.count()
    others = [a for a in round.assessments.order_by("station__uuid") if a.station != first]
    for index, assessment in enumerate(others[:4]):
        managers = User.objects.filter(
            role_assignments__station=assessment.station, role_assignments__role="station_manager"
        )
        manager = managers.first() or admin
        codes = {
            s.indicator.code: s.indicator for s in assessment.scores.select_related("indicator")
        }
        services.assessment_self_score(
            actor=manager if managers.exists() else _superuser(),
            assessment_id=assessment.pk,
            scores={
                code: {"points": (i.max_points * Decimal("0.8")).quantize(TENTH), "note": "见照片"}
                for code, i in codes.items()
                if not i.measure and not i.is_bonus
            },
        )
        for code, indicator in codes.items():
            if indicator.evidence_required:
                services.evidence_add(
                    actor=manager if managers.exists() else _superuser(),
                    assessment_id=assessment.pk,
                    indicator_code=code,
                    upload=_photo(rng),
                )
        actor = manager if managers.exists() else _superuser()
        services.assessment_move(
            actor=actor,
            assessment_id=assessment.pk,
            action="submit",
            at=now - timedelta(days=4 - index % 3),
        )
        if index == 0:
            measured = {
                s.indicator.code
                for s in assessment.scores.select_related("indicator")
                if s.measured_points is not None
            }
            scores = {
                code: {"points": i.max_points * Decimal("0.8")}
                for code, i in codes.items()
                if code not in measured and not i.is_bonus
            }
            services.assessment_review_score(
                actor=reviewer, assessment_id=assessment.pk, scores=scores
            )
            services.assessment_move(
                actor=reviewer,
                assessment_id=assessment.pk,
                action="review",
                note="资料齐全",
                at=now - timedelta(days=1),
            )
        elif index == 1:
            services.assessment_move(
                actor=reviewer,
                assessment_id=assessment.pk,
                action="return",
                note="请补充制度上墙的照片",
                at=now - timedelta(days=1),
            )


def _manager_draft(admin, created: Counter) -> None:
    """An assessment of `station_manager_1`'s station waiting for its self-assessment, so the
    demo's station manager, dispatcher and region admin can walk one through."""
    first = next(iter(district_stations()), None)
    if first is None or Assessment.objects.filter(station=first, round__isnull=True).exists():
        return
    if Assessment.objects.filter(station=first, state__in=OPEN_STATES).exists():
        return
    services.assessment_open(actor=admin, station_id=first.pk)
    created["assessment in progress"] += 1


def _superuser():
    return User(is_superuser=True, is_active=True, username="demo-system")


def demo_standards_load(*, seed: int = DEFAULT_SEED) -> Counter:
    """Create what is missing and return how many rows of each kind were created."""
    created: Counter = Counter()
    rng = random.Random(f"standards:{seed}")
    admin = User.objects.filter(username="xunyang_admin").first()
    reviewer = User.objects.filter(username="dispatcher").first()
    if admin is None or reviewer is None:
        return created
    _finished_round(rng, admin, reviewer, created)
    _round_in_progress(rng, admin, reviewer, created)
    _manager_draft(admin, created)
    return created
