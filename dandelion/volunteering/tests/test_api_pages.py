"""The volunteering API and pages: roles, the error shape, lists' query counts, the feed
fragment, the station visit page, the certificate."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from dandelion.accounts.testing import client_for
from dandelion.stations.models import StationVisit
from dandelion.volunteering.certificate import certificate_pdf
from dandelion.volunteering.models import Attendance
from dandelion.volunteering.services import attendance_confirm, attendance_record, signup_create

pytestmark = pytest.mark.django_db


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    return response.json()


def test_leaders_create_and_publish_over_the_api(world, volunteers):
    start = (world.station_x.created_at + timedelta(days=400)).isoformat()
    end = (world.station_x.created_at + timedelta(days=400, hours=2)).isoformat()
    payload = {
        "organisation_id": world.team_x.pk,
        "title": "助老送餐",
        "station_id": world.station_x.pk,
        "starts_at": start,
        "ends_at": end,
        "capacity": 5,
        "skills": ["急救"],
    }
    _problem(
        client_for(world.leader_l).post(
            "/api/v1/volunteering/activities", payload, content_type="application/json"
        ),
        403,
        "permission_denied",
    )
    _problem(
        client_for(world.leader_x).post(
            "/api/v1/volunteering/activities",
            dict(payload, capacity=0),
            content_type="application/json",
        ),
        422,
        "validation_error",
    )
    _problem(
        client_for(world.leader_x).post(
            "/api/v1/volunteering/activities",
            dict(payload, station_id=None),
            content_type="application/json",
        ),
        422,
        "place_required",
    )
    made = client_for(world.leader_x).post(
        "/api/v1/volunteering/activities", payload, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["status"] == "draft"
    aid = made.json()["id"]
    _problem(
        client_for(volunteers[0]).get(f"/api/v1/volunteering/activities/{aid}"),
        404,
        "not_found",
    )
    published = client_for(world.leader_x).post(
        f"/api/v1/volunteering/activities/{aid}/state",
        {"action": "publish"},
        content_type="application/json",
    )
    assert published.json()["status"] == "published"
    _problem(
        client_for(world.leader_x).post(
            f"/api/v1/volunteering/activities/{aid}/state",
            {"action": "publish"},
            content_type="application/json",
        ),
        409,
        "illegal_transition",
    )
    _problem(
        client_for(world.leader_l).post(
            f"/api/v1/volunteering/activities/{aid}/state",
            {"action": "cancel", "reason": "x"},
            content_type="application/json",
        ),
        403,
        "permission_denied",
    )


def test_sign_up_and_cancel_over_the_api(world, make_activity, volunteers):
    activity = make_activity(capacity=1)
    url = f"/api/v1/volunteering/activities/{activity.pk}/signup"
    first = client_for(volunteers[0]).post(url)
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert client_for(volunteers[0]).post(url).status_code == 200
    assert client_for(volunteers[1]).post(url).json()["status"] == "waiting"
    assert client_for(volunteers[0]).delete(url).json()["status"] == "cancelled"
    mine = client_for(volunteers[1]).get("/api/v1/me/volunteering/signups").json()
    assert mine["items"][0]["status"] == "confirmed"
    _problem(client_for(volunteers[0]).delete(url), 404, "not_found")


def test_activities_near_me_and_its_query_count(
    world, make_activity, volunteers, django_assert_max_num_queries
):
    for i in range(3):
        make_activity(title=f"活动{i}")
    client = client_for(volunteers[0])
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/volunteering/activities?lat=29.72&lng=115.99").json()
    assert body["count"] == 3 and body["items"][0]["distance_m"] is not None
    for i in range(3):
        make_activity(title=f"更多{i}")
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/volunteering/activities").json()["count"] == 6
    _problem(client.get("/api/v1/volunteering/activities?lat=29.72"), 422, "invalid_point")


def test_managed_list_and_roster_query_counts(
    world, make_activity, volunteers, django_assert_max_num_queries
):
    activity = make_activity(capacity=5)
    for person in volunteers:
        signup_create(activity_id=activity.pk, user=person)
    leader = client_for(world.leader_x)
    with django_assert_max_num_queries(10):
        roster = leader.get(f"/api/v1/volunteering/activities/{activity.pk}/roster").json()
    assert roster["count"] == 3
    with django_assert_max_num_queries(10):
        assert leader.get("/api/v1/volunteering/manage/activities").json()["count"] == 1
    assert (
        client_for(world.leader_l).get("/api/v1/volunteering/manage/activities").json()["count"]
        == 0
    )
    _problem(
        client_for(volunteers[0]).get("/api/v1/volunteering/manage/activities"),
        403,
        "permission_denied",
    )
    _problem(
        client_for(world.leader_l).get(f"/api/v1/volunteering/activities/{activity.pk}/roster"),
        403,
        "permission_denied",
    )


def test_attendance_needs_this_activitys_code(world, make_activity, volunteers):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    client = client_for(volunteers[0])
    url = f"/api/v1/volunteering/activities/{activity.pk}/attendance"
    with time_machine.travel(activity.starts_at, tick=False):
        _problem(
            client.post(
                url,
                {"action": "arrive", "code": str(world.station_l.uuid)},
                content_type="application/json",
            ),
            422,
            "invalid_attendance_code",
        )
        # The station's public uuid proves nothing; its poster's visit code does.
        _problem(
            client.post(
                url,
                {"action": "arrive", "station_code": str(world.station_x.uuid)},
                content_type="application/json",
            ),
            422,
            "invalid_attendance_code",
        )
        ok = client.post(
            url,
            {"action": "arrive", "station_code": world.station_x.visit_code},
            content_type="application/json",
        )
        assert ok.status_code == 200
    with time_machine.travel(activity.starts_at + timedelta(hours=1), tick=False):
        out = client.post(
            url,
            {"action": "leave", "code": str(activity.attendance_code)},
            content_type="application/json",
        )
    assert out.json()["computed_minutes"] == 60


def test_attendance_by_the_station_code_from_afar_is_refused(world, make_activity, volunteers):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    client = client_for(volunteers[0])
    url = f"/api/v1/volunteering/activities/{activity.pk}/attendance"
    station = world.station_x
    with time_machine.travel(activity.starts_at, tick=False):
        # The phone says it is 2.5 km north of the station
        body = _problem(
            client.post(
                url,
                {
                    "action": "arrive",
                    "station_code": station.visit_code,
                    "lat": station.lat + 0.0225,
                    "lng": station.lng,
                },
                content_type="application/json",
            ),
            422,
            "too_far_from_station",
        )
        assert "300 米以内" in body["detail"]
        assert not Attendance.objects.filter(activity=activity).exists()
        # At the station it is accepted
        ok = client.post(
            url,
            {
                "action": "arrive",
                "station_code": station.visit_code,
                "lat": station.lat,
                "lng": station.lng,
                "accuracy_m": 20,
            },
            content_type="application/json",
        )
        assert ok.status_code == 200


def test_the_visit_page_offers_attendance_by_the_station_code_not_its_uuid(
    world, make_activity, volunteers
):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    client = client_for(volunteers[0])
    with time_machine.travel(activity.starts_at - timedelta(minutes=10)):
        page = client.get(f"/v/{world.station_x.visit_code}").content.decode()
        refused = client.post(
            f"/volunteer/activities/{activity.pk}/attend/",
            {"action": "arrive", "station_code": str(world.station_x.uuid)},
        )
    assert 'name="station_code"' in page and str(world.station_x.uuid) not in page
    assert refused.status_code == 302
    assert not Attendance.objects.filter(activity=activity).exists()


def test_confirm_over_the_api_and_hours(world, make_activity, volunteers, points_rules):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=volunteers[0],
        arrived_at=activity.starts_at,
        left_at=activity.ends_at,
    )
    url = f"/api/v1/volunteering/attendances/{attendance.pk}/confirm"
    # Another team's leader confirms hours elsewhere: this attendance is as unknown as none.
    hidden = _problem(
        client_for(world.leader_l).post(url, {}, content_type="application/json"),
        404,
        "not_found",
    )
    assert hidden["entity"] == "attendance"
    body = _problem(
        client_for(world.leader_x).post(url, {"minutes": 60}, content_type="application/json"),
        422,
        "required",
    )
    assert body["errors"][0]["field"] == "reason"
    ok = client_for(world.leader_x).post(url, {}, content_type="application/json")
    assert ok.json()["credited_minutes"] == 180
    mine = client_for(volunteers[0]).get("/api/v1/me/volunteering/hours").json()
    assert mine["total_minutes"] == 180
    teams = client_for(world.admin_x).get("/api/v1/volunteering/hours?group=team").json()
    assert teams[0]["minutes"] == 180
    _problem(client_for(volunteers[0]).get("/api/v1/volunteering/hours"), 403, "permission_denied")


def test_visits_over_the_api(world, volunteers):
    client = client_for(volunteers[0])
    first = client.post(
        "/api/v1/volunteering/visits",
        {"code": world.station_x.visit_code},
        content_type="application/json",
    )
    again = client.post(
        "/api/v1/volunteering/visits",
        {"code": world.station_x.visit_code},
        content_type="application/json",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["verified"] is False  # no location sent
    for code in (str(world.station_x.uuid), "not-a-code"):
        _problem(
            client.post(
                "/api/v1/volunteering/visits", {"code": code}, content_type="application/json"
            ),
            404,
            "not_found",
        )


def test_station_visit_page_records_a_visit_and_offers_the_activity(
    world, make_activity, volunteers
):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    client = client_for(volunteers[0])
    url = f"/v/{world.station_x.visit_code}"
    assert client_for(None).get(url).status_code == 302
    with time_machine.travel(activity.starts_at - timedelta(minutes=10)):
        page = client.get(url).content.decode()
        assert "甘棠驿站" in page and "打卡" in page and "活动签到" in page
        assert client.post(url).status_code == 302
        assert StationVisit.objects.filter(user=volunteers[0]).count() == 1
        client.post(url)
        assert StationVisit.objects.filter(user=volunteers[0]).count() == 1
        done = client.post(
            f"/volunteer/activities/{activity.pk}/attend/",
            {
                "action": "arrive",
                "station_code": world.station_x.visit_code,
                "next": url,
            },
        )
        assert done["Location"] == url
    assert Attendance.objects.filter(user=volunteers[0], activity=activity).exists()
    assert client.get("/v/not-a-code").status_code == 404


def test_h5_pages_render(world, make_activity, volunteers):
    activity = make_activity()
    client = client_for(volunteers[0])
    feed = client.get("/volunteer/").content.decode()
    assert activity.title in feed and 'hx-trigger="every 15s"' in feed
    fragment = client.get("/volunteer/feed/").content.decode()
    assert activity.title in fragment and "<html" not in fragment
    signed = client.post(f"/volunteer/activities/{activity.pk}/signup/")
    assert signed.status_code == 302
    detail = client.get(f"/volunteer/activities/{activity.pk}/").content.decode()
    assert "你已报名" in detail
    assert activity.title in client.get("/volunteer/mine/").content.decode()
    assert client.get(f"/volunteer/code/{activity.attendance_code}/").status_code == 200
    assert client.get("/volunteer/hours/").status_code == 200


def test_a_full_activity_offers_the_waiting_list(world, make_activity, volunteers):
    activity = make_activity(capacity=1)
    signup_create(activity_id=activity.pk, user=volunteers[1])
    page = client_for(volunteers[0]).get(f"/volunteer/activities/{activity.pk}/").content.decode()
    assert "加入候补" in page


def _pdf_text(content: bytes) -> str:
    """The PDF's text with the whitespace taken out (reportlab breaks Chinese lines anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_the_certificate_lists_confirmed_activities(world, make_activity, volunteers):
    activity = make_activity(title="驿站清洁日")
    signup_create(activity_id=activity.pk, user=volunteers[0])
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=volunteers[0],
        arrived_at=activity.starts_at,
        left_at=activity.starts_at + timedelta(hours=2),
    )
    attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)

    response = client_for(volunteers[0]).get("/volunteer/hours/certificate.pdf")
    api = client_for(volunteers[0]).get("/api/v1/me/volunteering/certificate.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert "attachment" in api["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "志愿服务时长证明" in text
    assert "兹证明志愿者0参加志愿服务活动1次" in text
    assert "志愿服务时长共计2.0小时" in text
    day = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d")
    assert "".join(f"{day}驿站清洁日{world.team_x.name}2.0".split()) in text
    assert "开具日期" in text
    assert _pdf_text(api.content) == text
    assert PdfReader(io.BytesIO(response.content)).metadata.title == "志愿服务时长证明"


def test_the_certificate_prints_names_as_written(world, make_activity, volunteers):
    activity = make_activity(title="清洁 & <整理> 日")
    signup_create(activity_id=activity.pk, user=volunteers[0])
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=volunteers[0],
        arrived_at=activity.starts_at,
        left_at=activity.starts_at + timedelta(minutes=90),
    )
    attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)

    text = _pdf_text(certificate_pdf(user=volunteers[0]))

    assert "清洁&<整理>日" in text and "共计1.5小时" in text


def test_a_worker_without_confirmed_hours_gets_an_empty_certificate(volunteers):
    response = client_for(volunteers[1]).get("/api/v1/me/volunteering/certificate.pdf")

    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "兹证明志愿者1参加志愿服务活动0次" in text and "共计0.0小时" in text
    assert "日期活动确认组织时长(小时)" in text


def test_console_pages(world, make_activity, volunteers):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    leader = client_for(world.leader_x)
    listing = leader.get("/console/volunteering/").content.decode()
    assert activity.title in listing
    detail = leader.get(f"/console/volunteering/{activity.pk}/").content.decode()
    assert "志愿者0" in detail and "<svg" in detail
    assert (
        client_for(world.leader_l).get(f"/console/volunteering/{activity.pk}/").status_code == 404
    )
    assert client_for(volunteers[0]).get("/console/volunteering/").status_code == 403
    # A station manager sees the activities held at their station but publishes none
    assert client_for(world.manager_x).get("/console/volunteering/").status_code == 200
    assert client_for(world.manager_x).get("/console/volunteering/new/").status_code == 403
    form = leader.get("/console/volunteering/new/").content.decode()
    assert world.team_x.name in form and world.team_l.name not in form
    bad = leader.post(
        "/console/volunteering/new/",
        {
            "organisation": world.team_x.pk,
            "title": "新活动",
            "station": world.station_x.pk,
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T09:00",
            "capacity": "3",
            "points_per_hour": "10",
            "visibility": "public",
        },
    )
    assert bad.status_code == 200 and 'id="ends_at-error"' in bad.content.decode()
    assert 'value="新活动"' in bad.content.decode()
    ok = leader.post(
        "/console/volunteering/new/",
        {
            "organisation": world.team_x.pk,
            "title": "新活动",
            "station": world.station_x.pk,
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T12:00",
            "capacity": "3",
            "points_per_hour": "10",
            "visibility": "public",
            "publish": "1",
        },
    )
    assert ok.status_code == 302
    recorded = leader.post(
        f"/console/volunteering/{activity.pk}/attendance/",
        {
            "user_id": volunteers[0].pk,
            "arrived_at": activity.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "left_at": (activity.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert recorded.status_code == 302
    attendance = Attendance.objects.get(user=volunteers[0])
    leader.post(
        f"/console/volunteering/attendance/{attendance.pk}/confirm/",
        {"unit": "hours", "minutes": "1.5", "reason": ""},
    )
    attendance.refresh_from_db()
    assert attendance.confirmed_at is None  # adjusting without a reason is refused
    leader.post(
        f"/console/volunteering/attendance/{attendance.pk}/confirm/",
        {"unit": "hours", "minutes": "1.5", "reason": "提前到场布置"},
    )
    attendance.refresh_from_db()
    assert attendance.credited_minutes == 90
    assert leader.get("/console/volunteering/hours/").status_code == 200


def test_roster_and_my_hours_cost_the_same_however_many_attended(world, make_activity, volunteers):
    """Each row's attendance names its volunteer: that must not cost a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = client_for(world.leader_x)

    def attend(activity, person):
        signup_create(activity_id=activity.pk, user=person)
        attendance = attendance_record(
            actor=world.leader_x,
            activity=activity,
            user=person,
            arrived_at=activity.starts_at,
            left_at=activity.ends_at,
        )
        attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)

    def counts(activity):
        with CaptureQueriesContext(connection) as roster:
            assert (
                leader.get(f"/api/v1/volunteering/activities/{activity.pk}/roster").status_code
                == 200
            )
        with CaptureQueriesContext(connection) as hours:
            assert client_for(volunteers[0]).get("/api/v1/me/volunteering/hours").status_code == 200
        return len(roster), len(hours)

    # Given one volunteer who attended one activity
    activity = make_activity(capacity=5)
    attend(activity, volunteers[0])
    few = counts(activity)
    # When two more attend it, and the first attends two more activities
    for person in volunteers[1:]:
        attend(activity, person)
    for i in range(2):
        attend(make_activity(title=f"又一次{i}", capacity=5), volunteers[0])
    # Then the roster and "my hours" take as many queries as before
    assert counts(activity) == few


def test_the_station_page_knows_todays_visit_in_the_stations_time_zone(world, volunteers):
    # Given a station whose region keeps Xinjiang time (UTC+6), two hours behind the server's
    region = world.station_x.region
    region.timezone = "Asia/Urumqi"
    region.save(update_fields=["timezone"])
    client = client_for(volunteers[0])
    url = f"/v/{world.station_x.visit_code}"
    # When a worker visits at 23:30 there, already 01:30 the next day in Shanghai
    late = datetime(2025, 6, 1, 23, 30, tzinfo=ZoneInfo("Asia/Urumqi"))
    with time_machine.travel(late, tick=False):
        assert client.post(url).status_code == 302
        page = client.get(url).content.decode()
    # Then the page shows the visit it has just recorded, not the visit button again
    assert StationVisit.objects.get(user=volunteers[0]).day.isoformat() == "2025-06-01"
    assert "station-visit__done" in page and "station-visit__go" not in page


def test_errors_are_in_the_readers_words(world, make_activity, volunteers):
    # Given an activity the volunteer is not signed up for
    activity = make_activity()
    url = f"/api/v1/volunteering/activities/{activity.pk}/signup"
    # Then the API says so in Chinese by default, and in English when asked
    body = _problem(client_for(volunteers[0]).delete(url), 404, "not_found")
    assert body["detail"] == "你没有报名这个活动。" and body["entity"] == "signup"
    english = client_for(volunteers[0]).delete(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "You are not signed up for this activity."


def test_the_console_shows_a_refusal_in_chinese(world, make_activity, volunteers):
    # Given a volunteer's recorded hour
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=volunteers[0],
        arrived_at=activity.starts_at,
        left_at=activity.starts_at + timedelta(hours=1),
    )
    # When the organiser credits another figure without a reason
    page = client_for(world.leader_x).post(
        f"/console/volunteering/attendance/{attendance.pk}/confirm/",
        {"unit": "hours", "minutes": "2", "reason": ""},
        follow=True,
    )
    # Then the page says why, in the staff's words
    assert "调整时长时请填写原因。" in page.content.decode()


def test_rows_outside_the_callers_scope_are_refused_as_unknown_ones(
    world, make_activity, volunteers
):
    """Another team's leader (who manages activities elsewhere) gets, for a volunteer's
    attendance and for a draft activity of this team, the body an id that exists nowhere gets."""
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=volunteers[0],
        arrived_at=activity.starts_at,
        left_at=activity.ends_at,
    )
    draft = make_activity(publish=False)
    other = client_for(world.leader_l)
    for existing_url, unknown_url, payload in (
        (
            f"/api/v1/volunteering/attendances/{attendance.pk}/confirm",
            "/api/v1/volunteering/attendances/999999/confirm",
            {},
        ),
        (
            f"/api/v1/volunteering/activities/{draft.pk}/state",
            "/api/v1/volunteering/activities/999999/state",
            {"action": "publish"},
        ),
        (
            f"/api/v1/volunteering/activities/{draft.pk}/roster",
            "/api/v1/volunteering/activities/999999/roster",
            None,
        ),
    ):
        if payload is None:
            existing, unknown = other.get(existing_url), other.get(unknown_url)
        else:
            existing = other.post(existing_url, payload, content_type="application/json")
            unknown = other.post(unknown_url, payload, content_type="application/json")
        body = _problem(existing, 404, "not_found")
        assert body == _problem(unknown, 404, "not_found"), existing_url
    # A published public activity is no secret: outside one's scope it is a plain refusal.
    _problem(
        other.get(f"/api/v1/volunteering/activities/{activity.pk}/roster"),
        403,
        "permission_denied",
    )


def test_the_feed_says_distances_in_the_right_unit(world, make_activity, volunteers):
    """甘棠驿站 (29.7275, 115.9899) seen from 2.2 km south: the card says about 2.2 公里, not
    the metres read as kilometres (2,224 公里) it once said; 300 m away it says 米."""
    make_activity()
    client = client_for(volunteers[0])
    far = client.get("/volunteer/feed/?lat=29.7075&lng=115.9899").content.decode()
    assert "2.2 公里" in far and "2224" not in far
    near = client.get("/volunteer/feed/?lat=29.7248&lng=115.9899").content.decode()
    assert "300 米" in near
