"""The periodic job: stars expire past their validity; veto rules take stars away once per
basis; the station's managers and the region admins above it are told. Time is frozen."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from dandelion.core.periodic import periodic_jobs
from dandelion.notifications.models import Notification
from dandelion.reports.models import Report, ReportCategory
from dandelion.standards import services
from dandelion.standards.models import VetoApplied
from dandelion.stations.models import Station
from dandelion.stations.services import station_stars_set

TZ = timezone.get_fixed_timezone(480)
NOW = datetime(2026, 7, 1, 10, 0, tzinfo=TZ)


def stars_of(station) -> tuple[int, date | None]:
    s = Station.objects.get(pk=station.pk)
    return s.stars, s.stars_valid_until


def test_the_job_is_registered(db):
    assert "standards.stars_expire_and_veto" in {job.name for job in periodic_jobs()}


def test_stars_expire_after_their_last_day(sw):
    station_stars_set(station=sw.station, stars=4, valid_until=date(2026, 6, 30), reason="t")
    station_stars_set(station=sw.station_2, stars=3, valid_until=date(2026, 7, 1), reason="t")
    with time_machine.travel(NOW, tick=False):
        assert services.stars_expire_and_veto()["expired"] == 1
        assert services.stars_expire_and_veto()["expired"] == 0
    assert stars_of(sw.station) == (0, None)
    assert stars_of(sw.station_2) == (3, date(2026, 7, 1))
    told = set(
        Notification.objects.filter(kind="standards.stars_expired").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {sw.manager.pk, sw.admin.pk, sw.city_admin.pk}


@pytest.fixture
def complaint(sw):
    category = ReportCategory.objects.create(region=sw.city, code="dirty", name="卫生")

    def make(*, days_ago: int, status: str = "open", metres_north: float = 50):
        return Report.objects.create(
            category=category,
            region=sw.street,
            city_code="360400",
            source="h5",
            description="驿站门口脏乱",
            lat=sw.station.lat + metres_north / 111_000,
            lng=sw.station.lng,
            h3_r9=0,
            status=status,
            created_at=NOW - timedelta(days=days_ago),
            updated_at=NOW - timedelta(days=days_ago),
        )

    return make


def test_an_unfixed_complaint_older_than_the_rule_takes_a_star_once(sw, complaint):
    station_stars_set(station=sw.station, stars=4, valid_until=date(2027, 1, 1), reason="t")
    complaint(days_ago=29)  # not old enough (the rule: 30 days)
    complaint(days_ago=40, status="fixed")  # fixed
    complaint(days_ago=40, metres_north=500)  # not about this station
    with time_machine.travel(NOW, tick=False):
        assert services.stars_expire_and_veto()["vetoed"] == 0
        old = complaint(days_ago=31)
        assert services.stars_expire_and_veto()["vetoed"] == 1
        assert services.stars_expire_and_veto()["vetoed"] == 0  # once per complaint
    assert stars_of(sw.station) == (3, date(2027, 1, 1))
    applied = VetoApplied.objects.get()
    assert (applied.basis, applied.stars_before, applied.stars_after) == (
        f"report:{old.pk}",
        4,
        3,
    )
    notification = Notification.objects.get(kind="standards.stars_vetoed", recipient=sw.manager)
    assert notification.params["before"] == 4 and notification.params["after"] == 3


def test_repeated_missed_opening_delists(sw, make_station):
    station = make_station(
        name="定时驿站", region=sw.street, hours=[(d, time(9), time(18)) for d in range(7)]
    )
    station_stars_set(station=station, stars=3, valid_until=date(2027, 1, 1), reason="t")
    day = datetime(2026, 6, 10, 11, 0, tzinfo=TZ)
    with time_machine.travel(NOW, tick=False):
        # closed at 11:00 when the hours say open, twice; once at 20:00 (rightly closed)
        for at in (day, day + timedelta(days=1), day.replace(hour=20)):
            services.spot_check_record(
                actor=sw.street_reviewer, station_id=station.pk, found_open=False, at=at
            )
        assert services.stars_expire_and_veto()["vetoed"] == 0
        # the third miss within 90 days delists, once
        services.spot_check_record(
            actor=sw.admin, station_id=station.pk, found_open=False, at=day + timedelta(days=5)
        )
        assert services.stars_expire_and_veto()["vetoed"] == 1
        assert services.stars_expire_and_veto()["vetoed"] == 0
    assert stars_of(station) == (0, None)


def test_spot_checks_are_recorded_in_scope_only(sw):
    from dandelion.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.spot_check_record(
            actor=sw.lianxi_reviewer, station_id=sw.station.pk, found_open=True
        )
    with pytest.raises(PermissionDenied):
        services.spot_check_record(actor=sw.manager, station_id=sw.station.pk, found_open=True)


def test_a_spot_check_must_be_recent(sw):
    from dandelion.core.errors import InvalidInput

    with time_machine.travel(NOW, tick=False), pytest.raises(InvalidInput) as caught:
        services.spot_check_record(
            actor=sw.admin, station_id=sw.station.pk, found_open=True, at=NOW - timedelta(days=400)
        )
    assert caught.value.errors[0]["field"] == "checked_at"
