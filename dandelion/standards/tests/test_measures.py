"""Automatic measures against hand-computed values."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dandelion.needs.models import Need, NeedRating
from dandelion.orgs.services import organisation_create
from dandelion.reports.models import Report, ReportCategory
from dandelion.standards import measures, services
from dandelion.standards.models import Measure
from dandelion.stations.models import Station, StationVisit

AT = datetime(2026, 6, 30, 12, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.mark.parametrize(
    ("measure", "params", "value", "max_points", "points"),
    [
        # 5 of the 6 basic amenities: 10 × 5/6 = 8.33 → 8.3
        (Measure.AMENITIES, {"amenities": list("abcdef")}, 5, 10, "8.3"),
        # any one charging facility is enough
        (Measure.AMENITIES, {"amenities": ["x", "y"], "any": True}, 1, 5, "5.0"),
        (Measure.AMENITIES, {"amenities": ["x", "y"], "any": True}, 0, 5, "0.0"),
        # 63 hours a week of 84: 7 × 0.75 = 5.25 → 5.3 (half up)
        (Measure.WEEKLY_HOURS, {"full_at": 84}, 63, 7, "5.3"),
        (Measure.WEEKLY_HOURS, {"full_at": 84}, 168, 7, "7.0"),
        (Measure.OPEN_24H, {}, 1, 4, "4.0"),
        (Measure.OPEN_24H, {}, 0, 4, "0.0"),
        # 24 m² of 30: 6 × 0.8 = 4.8
        (Measure.AREA, {"full_at": 30}, 24, 6, "4.8"),
        # 15 visits a month of 300: 5 × 0.05 = 0.25 → 0.3
        (Measure.VISITS_PER_MONTH, {"full_at": 300}, 15, 5, "0.3"),
        # 3 of 4 needs on time: 5 × 0.75 = 3.75 → 3.8
        (Measure.NEEDS_ON_TIME, {}, 0.75, 5, "3.8"),
        # an average of 4 stars: 5 × (4 − 1)/4 = 3.75 → 3.8
        (Measure.AVERAGE_RATING, {}, 4.0, 5, "3.8"),
        (Measure.COMPLAINTS_FIXED, {}, 0.5, 5, "2.5"),
        # confirmed 90 days ago: full; 365 or more: nothing; 227.5 days: half
        (Measure.FACTS_FRESHNESS, {"full_within_days": 90, "zero_after_days": 365}, 90, 4, "4.0"),
        (Measure.FACTS_FRESHNESS, {"full_within_days": 90, "zero_after_days": 365}, 400, 4, "0.0"),
        (
            Measure.FACTS_FRESHNESS,
            {"full_within_days": 90, "zero_after_days": 365},
            227.5,
            4,
            "2.0",
        ),
        (Measure.SERVICES_HELD, {"full_at": 6}, 2, 6, "2.0"),
        (Measure.AREA, {"full_at": 30}, None, 6, None),
    ],
)
def test_score(measure, params, value, max_points, points):
    expected = None if points is None else Decimal(points)
    assert measures.score(measure, params, value, max_points) == expected


def test_weekly_hours_count_overnight_intervals(make_station):
    station = make_station(
        hours=[(0, time(9), time(18)), (1, time(20), time(2)), (2, time(8), time(12))]
    )
    assert measures.weekly_open_hours(station) == 9 + 6 + 4
    assert measures.weekly_open_hours(make_station(is_24h=True)) == 168


def _measured(assessment) -> dict:
    return {
        s.indicator.code: (s.measured_value, s.measured_points)
        for s in assessment.scores.select_related("indicator")
        if s.indicator.measure
    }


def test_an_assessment_measures_the_station(sw):
    station = sw.station
    Station.objects.filter(pk=station.pk).update(facts_confirmed_at=AT - timedelta(days=10))
    # 45 visits in the last three months (and some older ones that do not count)
    for n in range(45):
        StationVisit.objects.create(
            user=sw.worker,
            station=station,
            day=(AT - timedelta(days=n + 1)).date(),
            visited_at=AT - timedelta(days=n + 1),
            city_code="360400",
        )
    StationVisit.objects.create(
        user=sw.worker,
        station=station,
        day=(AT - timedelta(days=200)).date(),
        visited_at=AT - timedelta(days=200),
        city_code="360400",
    )
    assessment = services.assessment_open(actor=sw.manager, station_id=station.pk, at=AT)
    m = _measured(assessment)
    assert m["A1"] == (24.0, Decimal("4.8"))
    assert m["B1"] == (5.0, Decimal("8.3"))
    assert m["B2"] == (0.0, Decimal("0.0"))
    assert m["B3"] == (1.0, Decimal("2.5"))
    assert m["C1"] == (168.0, Decimal("7.0"))
    assert m["C2"] == (1.0, Decimal("4.0"))
    assert m["E3"] == (10.0, Decimal("4.0"))
    assert m["F1"] == (15.0, Decimal("0.3"))
    # no complaints at all is full points; no need due is no value (the reviewer scores it)
    assert m["G2"] == (1.0, Decimal("5.0"))
    assert m["F2"] == (None, None)
    source = assessment.scores.get(indicator__code="F1").measured_source
    assert "45" in source


def test_needs_and_complaints_near_the_station(sw):
    station = sw.station
    near = {"lat": station.lat + 0.0005, "lng": station.lng}  # about 55 m north
    far = {"lat": station.lat + 0.05, "lng": station.lng}  # about 5.5 km north
    due = AT - timedelta(days=20)

    office = organisation_create(name="甘棠街道办事处", kind="street_office", region=sw.street)

    def need(resolved_after_hours: float | None, **where):
        resolved = (
            None if resolved_after_hours is None else due + timedelta(hours=resolved_after_hours)
        )
        return Need.objects.create(
            worker=sw.worker,
            description="求助",
            region=sw.street,
            department=office,
            state="resolved" if resolved else "in_progress",
            accept_due_at=due - timedelta(days=2),
            resolve_due_at=due,
            resolved_at=resolved,
            **where,
        )

    on_time = need(-5, **near)
    need(-1, **near)
    need(30, **near)  # late
    need(None, **near)  # never resolved
    need(-1, **far)  # not about this station
    NeedRating.objects.create(need=on_time, round=1, stars=5, created_at=AT - timedelta(days=5))
    NeedRating.objects.create(need=on_time, round=2, stars=2, created_at=AT - timedelta(days=4))

    category = ReportCategory.objects.create(region=sw.city, code="dirty", name="卫生")

    def report(status, **where):
        return Report.objects.create(
            category=category,
            region=sw.street,
            city_code="360400",
            source="h5",
            description="驿站门口脏乱",
            h3_r9=0,
            status=status,
            created_at=AT - timedelta(days=30),
            updated_at=AT - timedelta(days=30),
            **where,
        )

    report("fixed", **near)
    report("closed", **near)
    report("open", **near)
    report("open", **far)

    assessment = services.assessment_open(actor=sw.manager, station_id=station.pk, at=AT)
    m = _measured(assessment)
    # 2 of 4 due needs resolved by the deadline: 5 × 0.5
    assert m["F2"] == (0.5, Decimal("2.5"))
    # ratings 5 and 2: average 3.5, 5 × 2.5/4 = 3.125 → 3.1
    assert m["G1"] == (3.5, Decimal("3.1"))
    # 2 of 3 complaints within 100 m fixed: 5 × 2/3 = 3.33 → 3.3
    assert m["G2"][1] == Decimal("3.3")


def test_extended_services_held_count_from_the_work_log(sw):
    from dandelion.stations.services import service_log_add

    for n, kind in enumerate(["legal", "health_check", "haircut", "drinks_refill", "legal"]):
        service_log_add(
            actor=sw.manager,
            station=sw.station,
            day=(AT - timedelta(days=10 + n)).date(),
            kind_code=kind,
            people_served=5,
            bottles=20 if kind == "drinks_refill" else None,
            idempotency_key=f"k{n}",
        )
    assessment = services.assessment_open(actor=sw.manager, station_id=sw.station.pk, at=AT)
    # 3 extended services (legal twice, health once) of 6: 6 × 0.5
    assert _measured(assessment)["D2"] == (3.0, Decimal("3.0"))
