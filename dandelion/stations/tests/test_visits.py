"""A station visit (驿站打卡) must prove the worker was there: the poster's secret code that no
public output shows and that can be rotated, the device's location checked against the station,
unverified visits that rules requiring verified ones do not pay, the per-worker rate, and the
travel check that holds impossible journeys for review."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dandelion.accounts.testing import client_for
from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from dandelion.core.models import AuditEvent
from dandelion.points.models import EarningRule
from dandelion.points.selectors import balance_of
from dandelion.points.services import issuer_fund
from dandelion.stations import qr
from dandelion.stations.models import StationVisit
from dandelion.stations.selectors import station_by_visit_code
from dandelion.stations.services import station_visit_code_rotate, visit_record, visit_review

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2025, 6, 1, 9, 0, tzinfo=SH)
# 甘棠驿站 (world.station_x) is at 29.7275, 115.9899; 十里驿站 (station_l) about 7 km away.
NEAR = {"lat": 29.7280, "lng": 115.9899, "accuracy_m": 15}  # about 55 m north
FAR = {"lat": 29.7500, "lng": 115.9899, "accuracy_m": 15}  # about 2.5 km north


@pytest.fixture
def visit_rule(world, make_user):
    """5 points a station visit in 九江市, paid only for verified visits (the demo's rule)."""
    admin = make_user(name="超管", is_superuser=True)
    issuer_fund(region=world.city, amount=10_000, actor=admin, source_key="fund:visits")
    return EarningRule.objects.create(
        region=world.city, event="station_visit", points=5, requires_verified=True
    )


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    return response.json()


# ---- the secret --------------------------------------------------------------------------


def _public_outputs(client, world) -> dict[str, str]:
    x, lat, lng = world.station_x, world.station_x.lat, world.station_x.lng
    bbox = "115,29,117,31"
    return {
        "detail": client.get(f"/api/v1/stations/{x.pk}").content.decode(),
        "list": client.get("/api/v1/stations?page_size=100").content.decode(),
        "nearby": client.get(f"/api/v1/stations/nearby?lat={lat}&lng={lng}").content.decode(),
        "nearby+partners": client.get(
            f"/api/v1/stations/nearby?lat={lat}&lng={lng}&include_partners=true"
        ).content.decode(),
        "geojson": client.get(f"/api/v1/stations.geojson?bbox={bbox}").content.decode(),
        "partners": client.get("/api/v1/partners").content.decode(),
        "page": client.get(f"/s/{x.pk}/").content.decode(),
        "map": client.get("/").content.decode(),
    }


@pytest.mark.parametrize("who", ["anonymous", "worker_x", "manager_x"])
def test_no_public_output_shows_the_visit_code(world, who):
    client = client_for(None if who == "anonymous" else getattr(world, who))
    outputs = _public_outputs(client, world)
    assert str(world.station_x.uuid) in outputs["detail"]  # the public id stays public
    for name, body in outputs.items():
        for station in (world.station_x, world.station_l):
            assert station.visit_code not in body, name


def test_the_station_export_does_not_carry_the_visit_code(world, admin_client):
    from dandelion.stations.exporting import stations_export
    from dandelion.stations.models import Station

    data = stations_export(stations=Station.objects.all(), file_format="csv").decode()
    assert world.station_x.name in data and world.station_x.visit_code not in data
    admin_export = admin_client.get("/admin/stations/station/export/csv/").content.decode()
    assert world.station_x.name in admin_export
    assert world.station_x.visit_code not in admin_export


def test_the_old_poster_address_is_gone_and_records_nothing(world):
    client = client_for(world.worker_x)
    url = f"/s/{world.station_x.uuid}/checkin"

    for response in (client.get(url), client.post(url), client_for(None).get(url)):
        assert response.status_code == 410
        assert "这张打卡海报已过期" in response.content.decode()
    assert not StationVisit.objects.exists()


def test_the_public_uuid_records_no_visit_over_the_api(world):
    response = client_for(world.worker_x).post(
        "/api/v1/volunteering/visits",
        {"code": str(world.station_x.uuid)},
        content_type="application/json",
    )

    _problem(response, 404, "not_found")
    assert not StationVisit.objects.exists()


def test_rotating_the_code_retires_the_old_poster_at_once(world):
    old = world.station_x.visit_code

    station = station_visit_code_rotate(station=world.station_x, actor=world.manager_x)

    assert station.visit_code != old and len(station.visit_code) >= 32
    assert station_by_visit_code(code=old) is None
    assert station_by_visit_code(code=station.visit_code) == world.station_x
    client = client_for(world.worker_x)
    assert client.get(f"/v/{old}").status_code == 404
    assert client.get(qr.station_visit_path(station)).status_code == 200
    event = AuditEvent.objects.get(action="stations.visit_code_rotated")
    assert (event.actor, event.target_id) == (world.manager_x, str(station.pk))
    assert old not in str(event.detail) and station.visit_code not in str(event.detail)


@pytest.mark.parametrize("person", ["worker_x", "dispatcher_x", "manager_l", "admin_l"])
def test_only_those_who_print_the_poster_rotate_the_code(world, person):
    old = world.station_x.visit_code

    with pytest.raises(PermissionDenied):
        station_visit_code_rotate(station=world.station_x, actor=getattr(world, person))

    world.station_x.refresh_from_db()
    assert world.station_x.visit_code == old


def test_the_admin_rotates_codes_and_shows_the_code_to_poster_printers(world):
    client = client_for(world.admin_x)
    old = world.station_x.visit_code
    change = client.get(f"/admin/stations/station/{world.station_x.pk}/change/").content.decode()
    assert f"/v/{old}" in change  # who may print the poster sees the code

    response = client.post(
        "/admin/stations/station/",
        {"action": "rotate_visit_codes", "_selected_action": [world.station_x.pk]},
    )

    assert response.status_code == 302
    world.station_x.refresh_from_db()
    assert world.station_x.visit_code != old


@pytest.mark.parametrize("person", ["dispatcher_x", "auditor_x"])
def test_staff_who_view_stations_but_do_not_print_posters_do_not_see_the_code(world, person):
    # They may view the district's stations in the admin, list and page alike.
    client = client_for(getattr(world, person))
    change = client.get(f"/admin/stations/station/{world.station_x.pk}/change/")
    listing = client.get("/admin/stations/station/")

    assert change.status_code == 200 and "甘棠驿站" in change.content.decode()
    for response in (change, listing):
        assert world.station_x.visit_code not in response.content.decode()


# ---- the location ------------------------------------------------------------------------


def test_a_location_far_from_the_station_is_refused(world, settings):
    settings.STATION_VISIT_RADIUS_M = 300

    with pytest.raises(InvalidInput) as refused:
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING, **FAR)

    assert refused.value.code == "too_far_from_station"
    assert "2400 米" in str(refused.value.message) or "2500 米" in str(refused.value.message)
    assert "300 米以内" in str(refused.value.message)
    assert not StationVisit.objects.exists()


def test_too_far_is_a_declared_422_over_the_api(world):
    response = client_for(world.worker_x).post(
        "/api/v1/volunteering/visits",
        {"code": world.station_x.visit_code, **FAR},
        content_type="application/json",
    )

    body = _problem(response, 422, "too_far_from_station")
    assert body["radius_m"] == 300 and body["distance_m"] > 2000
    assert "300 米以内" in body["detail"]
    assert not StationVisit.objects.exists()


def test_a_location_at_the_station_verifies_the_visit(world):
    response = client_for(world.worker_x).post(
        "/api/v1/volunteering/visits",
        {"code": world.station_x.visit_code, **NEAR},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["verified"] is True and response.json()["flagged"] is False
    visit = StationVisit.objects.get()
    assert visit.verified and 40 < visit.distance_m < 70 and visit.accuracy_m == 15


def test_without_a_location_the_visit_is_recorded_unverified(world):
    visit, created = visit_record(user=world.worker_x, station=world.station_x, at=MORNING)

    assert created and not visit.verified and visit.distance_m is None


def test_a_location_vaguer_than_the_radius_proves_nothing(world):
    visit, _ = visit_record(
        user=world.worker_x,
        station=world.station_x,
        at=MORNING,
        lat=NEAR["lat"],
        lng=NEAR["lng"],
        accuracy_m=5000,
    )

    assert not visit.verified


@pytest.mark.parametrize(
    "location",
    [{"lat": 29.7}, {"lat": 91, "lng": 115.0}, {"lat": 29.7, "lng": 115.9, "accuracy_m": -1}],
)
def test_a_malformed_location_is_refused(world, location):
    with pytest.raises(InvalidInput) as refused:
        visit_record(user=world.worker_x, station=world.station_x, **location)

    assert refused.value.code == "invalid_location"


def test_the_visit_page_sends_the_location_and_refuses_a_far_one(world):
    client = client_for(world.worker_x)
    url = f"/v/{world.station_x.visit_code}"
    page = client.get(url).content.decode()
    assert 'name="lat"' in page and "volunteering/station_visit.js" in page

    far = client.post(url, FAR)

    assert far.status_code == 422
    assert "300 米以内" in far.content.decode()
    assert not StationVisit.objects.exists()
    assert client.post(url, NEAR).status_code == 302
    assert StationVisit.objects.get().verified


def test_unverified_visits_earn_nothing_under_a_rule_that_requires_verified_ones(
    world, visit_rule, make_worker, django_capture_on_commit_callbacks
):
    other = make_worker(name="另一位骑手", phone="13800000099")
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING)
        visit_record(user=other, station=world.station_x, at=MORNING, **NEAR)

    assert balance_of(user=world.worker_x) == 0
    assert balance_of(user=other) == 5


def test_a_rule_that_does_not_require_verified_visits_pays_them_all(
    world, visit_rule, django_capture_on_commit_callbacks
):
    visit_rule.requires_verified = False
    visit_rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING)

    assert balance_of(user=world.worker_x) == 5


# ---- the rate ----------------------------------------------------------------------------


def test_visits_are_rate_limited_per_worker(world, make_station, make_worker, settings):
    settings.STATION_VISIT_RATE = "2/600"
    settings.VISIT_MAX_SPEED_KMH = 10_000  # this test is about the rate alone
    stations = [make_station(name=f"驿站{i}", lat=29.7275 + i * 0.01) for i in range(3)]
    client = client_for(world.worker_x)

    def visit(station):
        return client.post(
            "/api/v1/volunteering/visits",
            {"code": station.visit_code},
            content_type="application/json",
        )

    assert visit(stations[0]).status_code == 201
    assert visit(stations[1]).status_code == 201
    assert visit(stations[1]).status_code == 200  # the same visit again counts nothing
    refused = visit(stations[2])

    _problem(refused, 429, "rate_limited")
    assert 0 < int(refused["Retry-After"]) <= 600
    assert StationVisit.objects.count() == 2
    # Another worker has their own allowance.
    other = make_worker(name="另一位骑手", phone="13800000099")
    assert (
        client_for(other)
        .post(
            "/api/v1/volunteering/visits",
            {"code": stations[2].visit_code},
            content_type="application/json",
        )
        .status_code
        == 201
    )


def test_the_visit_page_answers_429_with_retry_after(world, make_station, settings):
    settings.STATION_VISIT_RATE = "1/600"
    settings.VISIT_MAX_SPEED_KMH = 10_000
    other = make_station(name="另一驿站", lat=29.7375)
    client = client_for(world.worker_x)
    assert client.post(f"/v/{world.station_x.visit_code}").status_code == 302

    refused = client.post(f"/v/{other.visit_code}")

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "打卡太频繁了" in refused.content.decode()


def test_the_rate_limit_refuses_before_anything_is_written(world, make_station, settings):
    settings.STATION_VISIT_RATE = "1/600"
    other = make_station(name="另一驿站", lat=29.7375)
    visit_record(user=world.worker_x, station=world.station_x, at=MORNING)

    with pytest.raises(RateLimited):
        visit_record(user=world.worker_x, station=other, at=MORNING + timedelta(hours=1))

    assert StationVisit.objects.count() == 1


# ---- the travel check --------------------------------------------------------------------


def test_visits_too_far_apart_for_the_time_between_are_flagged(
    world, visit_rule, django_capture_on_commit_callbacks
):
    # Given a verified visit at 甘棠驿站, then 40 ms later one at 十里驿站, 7 km away
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = visit_record(user=world.worker_x, station=world.station_x, at=MORNING, **NEAR)
        second, _ = visit_record(
            user=world.worker_x,
            station=world.station_l,
            at=MORNING + timedelta(milliseconds=40),
            lat=world.station_l.lat,
            lng=world.station_l.lng,
        )

    # Then the second is flagged, says why, and earns nothing until reviewed
    assert not first.flagged and second.flagged
    assert "甘棠驿站" in second.flag_reason and "公里" in second.flag_reason
    assert balance_of(user=world.worker_x) == 5


def test_a_journey_a_rider_can_make_is_not_flagged(world):
    visit_record(user=world.worker_x, station=world.station_x, at=MORNING)
    # 7 km in 20 minutes is 21 km/h
    later, _ = visit_record(
        user=world.worker_x, station=world.station_l, at=MORNING + timedelta(minutes=20)
    )

    assert not later.flagged and later.flag_reason == ""


def test_the_speed_is_a_setting(world, settings):
    settings.VISIT_MAX_SPEED_KMH = 15
    visit_record(user=world.worker_x, station=world.station_x, at=MORNING)
    later, _ = visit_record(
        user=world.worker_x, station=world.station_l, at=MORNING + timedelta(minutes=20)
    )

    assert later.flagged


def test_a_reviewer_accepts_a_flagged_visit_and_it_earns_then(
    world, visit_rule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING, **NEAR)
        flagged, _ = visit_record(
            user=world.worker_x,
            station=world.station_l,
            at=MORNING + timedelta(seconds=1),
            lat=world.station_l.lat,
            lng=world.station_l.lng,
        )
    assert balance_of(user=world.worker_x) == 5
    with pytest.raises(PermissionDenied):
        visit_review(actor=world.manager_x, visit=flagged, accept=True)  # not the manager
    with pytest.raises(PermissionDenied):
        visit_review(actor=world.admin_x, visit=flagged, accept=True)  # not another district

    with django_capture_on_commit_callbacks(execute=True):
        reviewed = visit_review(actor=world.admin_l, visit=flagged, accept=True)

    assert not reviewed.flagged and reviewed.reviewed_by == world.admin_l
    assert balance_of(user=world.worker_x) == 10
    assert AuditEvent.objects.filter(action="stations.visit_accepted").count() == 1
    with pytest.raises(Conflict):
        visit_review(actor=world.admin_l, visit=flagged, accept=False)


def test_a_rejected_visit_stays_flagged_and_earns_nothing(
    world, visit_rule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(user=world.worker_x, station=world.station_x, at=MORNING, **NEAR)
        flagged, _ = visit_record(
            user=world.worker_x,
            station=world.station_l,
            at=MORNING + timedelta(seconds=1),
            lat=world.station_l.lat,
            lng=world.station_l.lng,
        )
        rejected = visit_review(actor=world.admin_l, visit=flagged, accept=False)

    assert rejected.flagged and rejected.reviewed_at is not None
    assert balance_of(user=world.worker_x) == 5
    assert AuditEvent.objects.filter(action="stations.visit_rejected").count() == 1


def test_the_admin_lists_flagged_visits_and_reviews_them(
    world, visit_rule, django_capture_on_commit_callbacks
):
    with time_machine.travel(MORNING, tick=False):
        visit_record(user=world.worker_x, station=world.station_x, **NEAR)
        flagged, _ = visit_record(
            user=world.worker_x, station=world.station_l, lat=29.67, lng=116.02
        )
    client = client_for(world.admin_l)

    pending = client.get("/admin/stations/stationvisit/?review=pending").content.decode()

    assert "十里驿站" in pending and "甘棠驿站 @" not in pending
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/stations/stationvisit/",
            {"action": "accept_visits", "_selected_action": [flagged.pk]},
        )
    flagged.refresh_from_db()
    assert not flagged.flagged and flagged.reviewed_by == world.admin_l
    # The station's manager sees its visits, and cannot review them
    manager = client_for(world.manager_x).get("/admin/stations/stationvisit/").content.decode()
    assert "accept_visits" not in manager
