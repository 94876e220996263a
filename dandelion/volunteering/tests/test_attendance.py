"""Attendance and hours: arrival windows, the overlap at the edges, confirmation with audited
adjustments, points for confirmed hours, and station visits."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.core.models import AuditEvent
from dandelion.points.models import Transfer
from dandelion.points.selectors import balance_of
from dandelion.stations.models import StationVisit
from dandelion.stations.services import visit_record
from dandelion.volunteering.selectors import activity_happening_at_station, hours_by, total_minutes
from dandelion.volunteering.services import (
    attendance_arrive,
    attendance_confirm,
    attendance_leave,
    attendance_record,
    overlap_minutes,
    signup_create,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T = datetime(2025, 6, 1, 9, 0, tzinfo=SH)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (T, T + timedelta(hours=3), 180),  # exactly the window
        (T - timedelta(hours=1), T + timedelta(hours=4), 180),  # arrives early, leaves late
        (T - timedelta(hours=2), T - timedelta(hours=1), 0),  # all before
        (T + timedelta(hours=3), T + timedelta(hours=4), 0),  # starts at the end: touches
        (T - timedelta(hours=1), T, 0),  # leaves at the start: touches
        (T + timedelta(minutes=30), T + timedelta(minutes=75, seconds=59), 45),  # whole minutes
        (T + timedelta(hours=1), None, 0),  # never left
        (T + timedelta(hours=2), T + timedelta(hours=5), 60),  # leaves late
    ],
)
def test_credited_time_is_the_overlap_with_the_window(start, end, minutes):
    assert overlap_minutes(start, end, T, T + timedelta(hours=3)) == minutes


@pytest.fixture
def signed(world, make_activity, volunteers):
    activity = make_activity(capacity=2)
    signup_create(activity_id=activity.pk, user=volunteers[0])
    signup_create(activity_id=activity.pk, user=volunteers[1])
    return activity


def test_arriving_and_leaving_by_code_credits_the_overlap(world, signed, volunteers, points_rules):
    person = volunteers[0]
    start = signed.starts_at
    with time_machine.travel(start - timedelta(minutes=20), tick=False):
        attendance, created = attendance_arrive(
            activity=signed, user=person, method="organiser_code"
        )
        again, created_again = attendance_arrive(
            activity=signed, user=person, method="organiser_code"
        )
    assert created and not created_again and again.pk == attendance.pk
    with time_machine.travel(start + timedelta(hours=2, minutes=30), tick=False):
        attendance = attendance_leave(activity=signed, user=person, method="station_qr")
        with pytest.raises(Conflict) as caught:
            attendance_leave(activity=signed, user=person, method="station_qr")
    assert caught.value.code == "illegal_transition"
    assert attendance.computed_minutes == 150


def test_attendance_windows(world, signed, volunteers, make_worker):
    with (
        time_machine.travel(signed.starts_at - timedelta(minutes=61)),
        pytest.raises(Conflict) as c,
    ):
        attendance_arrive(activity=signed, user=volunteers[0], method="station_qr")
    assert c.value.code == "attendance_not_open"
    with time_machine.travel(signed.ends_at), pytest.raises(Conflict) as c:
        attendance_arrive(activity=signed, user=volunteers[0], method="station_qr")
    assert c.value.code == "activity_ended"
    stranger = make_worker(name="没报名")
    with time_machine.travel(signed.starts_at), pytest.raises(Conflict) as c:
        attendance_arrive(activity=signed, user=stranger, method="station_qr")
    assert c.value.code == "not_signed_up"
    with time_machine.travel(signed.starts_at), pytest.raises(Conflict) as c:
        attendance_leave(activity=signed, user=volunteers[0], method="station_qr")
    assert c.value.code == "not_arrived"


def test_waiting_people_cannot_arrive(world, signed, volunteers):
    signup_create(activity_id=signed.pk, user=volunteers[2])
    with time_machine.travel(signed.starts_at), pytest.raises(Conflict) as c:
        attendance_arrive(activity=signed, user=volunteers[2], method="station_qr")
    assert c.value.code == "signup_waiting"


def test_confirming_awards_points_once(
    world, signed, volunteers, points_rules, django_capture_on_commit_callbacks
):
    person = volunteers[0]
    with time_machine.travel(signed.starts_at, tick=False):
        attendance, _ = attendance_arrive(activity=signed, user=person, method="station_qr")
    with time_machine.travel(signed.starts_at + timedelta(hours=2), tick=False):
        attendance_leave(activity=signed, user=person, method="station_qr")
    # Another team's leader is refused as for an attendance that does not exist.
    with pytest.raises(NotFound) as refused:
        attendance_confirm(actor=world.leader_l, attendance_id=attendance.pk)
    assert (refused.value.code, refused.value.extra) == ("not_found", {"entity": "attendance"})
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)
    assert confirmed.credited_minutes == 120 and confirmed.adjust_reason == ""
    assert balance_of(user=person) == 20  # 2 hours × the activity's 10 points an hour
    assert Transfer.objects.get(source_key=f"volunteer_hours:{attendance.pk}").amount == 20
    with pytest.raises(Conflict) as caught:
        attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)
    assert caught.value.code == "illegal_transition"
    assert total_minutes(user=person) == 120


def test_adjusting_needs_a_reason_and_is_audited(world, signed, volunteers, points_rules):
    person = volunteers[1]
    with time_machine.travel(signed.starts_at, tick=False):
        attendance, _ = attendance_arrive(activity=signed, user=person, method="station_qr")
    with pytest.raises(Conflict) as caught:
        attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)
    assert caught.value.code == "not_left"
    with pytest.raises(InvalidInput) as caught:
        attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk, minutes=90)
    assert caught.value.errors[0]["field"] == "reason"
    with pytest.raises(InvalidInput) as caught:
        attendance_confirm(
            actor=world.leader_x, attendance_id=attendance.pk, minutes=999, reason="x"
        )
    assert caught.value.errors[0]["field"] == "minutes"
    confirmed = attendance_confirm(
        actor=world.leader_x, attendance_id=attendance.pk, minutes=90, reason="忘记签退，现场确认"
    )
    assert confirmed.credited_minutes == 90 and confirmed.computed_minutes == 0
    event = AuditEvent.objects.get(action="volunteering.hours_adjusted")
    assert event.actor == world.leader_x and event.subject == person
    assert event.detail == {
        "computed_minutes": 0,
        "credited_minutes": 90,
        "reason": "忘记签退，现场确认",
    }


def test_the_organiser_records_attendance(world, signed, volunteers):
    person = volunteers[0]
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=world.leader_l,
            activity=signed,
            user=person,
            arrived_at=signed.starts_at,
            left_at=signed.ends_at,
        )
    with pytest.raises(InvalidInput):
        attendance_record(
            actor=world.leader_x,
            activity=signed,
            user=person,
            arrived_at=signed.ends_at,
            left_at=signed.starts_at,
        )
    attendance = attendance_record(
        actor=world.leader_x,
        activity=signed,
        user=person,
        arrived_at=signed.starts_at - timedelta(minutes=10),
        left_at=signed.starts_at + timedelta(minutes=100),
    )
    assert attendance.computed_minutes == 100 and attendance.arrival_method == "organiser"
    assert AuditEvent.objects.filter(action="volunteering.attendance_recorded").count() == 1
    confirmed = attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)
    assert confirmed.credited_minutes == 100


def test_hours_per_team_and_region(world, signed, volunteers, make_activity):
    for person in volunteers[:2]:
        attendance = attendance_record(
            actor=world.leader_x,
            activity=signed,
            user=person,
            arrived_at=signed.starts_at,
            left_at=signed.starts_at + timedelta(hours=1),
        )
        attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)
    teams = hours_by(actor=world.admin_x, group="team")
    assert teams == [
        {
            "key": str(world.team_x.pk),
            "name": "甘棠骑手志愿队",
            "minutes": 120,
            "people": 2,
            "activities": 1,
        }
    ]
    regions = hours_by(actor=world.admin_x, group="region")
    assert regions[0]["minutes"] == 120
    assert hours_by(actor=world.admin_l, group="team") == []
    assert hours_by(actor=world.leader_l, group="team") == []


def test_a_station_visit_is_recorded_once_a_day_and_earns_points(
    world, volunteers, points_rules, django_capture_on_commit_callbacks
):
    person = volunteers[0]
    morning = datetime(2025, 6, 1, 8, tzinfo=SH)
    with django_capture_on_commit_callbacks(execute=True):
        visit, created = visit_record(user=person, station=world.station_x, at=morning)
        again, created_again = visit_record(
            user=person, station=world.station_x, at=morning + timedelta(hours=15, minutes=59)
        )
    assert created and not created_again and again.pk == visit.pk
    assert visit.day.isoformat() == "2025-06-01"
    with django_capture_on_commit_callbacks(execute=True):
        _, next_day = visit_record(
            user=person, station=world.station_x, at=datetime(2025, 6, 2, 0, 1, tzinfo=SH)
        )
    assert next_day and StationVisit.objects.filter(user=person).count() == 2
    assert balance_of(user=person) == 10  # 5 a visit, daily cap 5: one per day


def test_the_station_page_finds_the_activity_on_now(world, signed, volunteers):
    with time_machine.travel(signed.starts_at - timedelta(minutes=30)):
        activity, attendance = activity_happening_at_station(
            user=volunteers[0], station=world.station_x
        )
    assert activity == signed and attendance is None
    with time_machine.travel(signed.starts_at - timedelta(hours=2)):
        assert activity_happening_at_station(user=volunteers[0], station=world.station_x) == (
            None,
            None,
        )
    assert activity_happening_at_station(user=volunteers[2], station=world.station_x) == (
        None,
        None,
    )
