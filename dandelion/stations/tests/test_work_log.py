"""The station's work log: services held, by role and scope, idempotent, announced, summed."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dandelion.accounts.testing import client_for
from dandelion.core import events
from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied
from dandelion.stations.events import ServiceLogged
from dandelion.stations.models import StationServiceLog
from dandelion.stations.selectors import station_services_summary
from dandelion.stations.services import service_log_add

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = "/api/v1/stations/{}/services-log"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def logged():
    seen: list[ServiceLogged] = []
    events.subscribe(ServiceLogged, seen.append)
    yield seen
    events._handlers[ServiceLogged.name].remove(seen.append)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return out.getvalue()


def add(world, actor=None, station=None, key="k1", **fields):
    spec = {"day": TODAY, "kind_code": "health_check", "people_served": 30} | fields
    return service_log_add(
        actor=actor or world.manager_x,
        station=station or world.station_x,
        idempotency_key=key,
        **spec,
    )


def test_the_manager_logs_a_service_and_it_is_announced(
    world, logged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry, created = add(world, note="社区医院义诊")
    assert created and entry.city_code == "360400" and entry.created_by == world.manager_x
    [event] = logged
    assert (event.log_id, event.station_id, event.region_code) == (
        entry.pk,
        world.station_x.pk,
        "360403",
    )
    assert (event.date, event.kind, event.people_served, event.bottles) == (
        TODAY,
        "health_check",
        30,
        None,
    )


def test_the_same_key_logs_once_and_another_station_is_a_conflict(world, make_station):
    first, created = add(world)
    again, created_again = add(world, people_served=99)
    assert created and not created_again and again.pk == first.pk
    assert StationServiceLog.objects.count() == 1
    _, by_another = add(world, actor=world.admin_x)  # the same key from another person
    assert by_another
    with pytest.raises(Conflict) as err:
        add(world, actor=world.admin_x, station=make_station(name="另一站"))
    assert err.value.code == "idempotency_key_reused"


def test_refills_count_bottles_and_only_they_do(world):
    entry, _ = add(world, kind_code="drinks_refill", people_served=0, bottles=48)
    assert entry.bottles == 48
    with pytest.raises(InvalidInput) as err:
        add(world, key="k2", kind_code="drinks_refill")
    assert err.value.errors[0]["field"] == "bottles"
    with pytest.raises(InvalidInput) as err:
        add(world, key="k3", kind_code="legal", bottles=3)
    assert err.value.errors[0]["field"] == "bottles"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind_code": "massage"}, "kind"),
        ({"day": TODAY + timedelta(days=2)}, "date"),
        ({"people_served": 100_001}, "people_served"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(world, fields, field):
    with pytest.raises(InvalidInput) as err:
        add(world, **fields)
    assert field in {e["field"] for e in err.value.errors}
    assert not StationServiceLog.objects.exists()


def test_who_may_log_where(world):
    add(world, actor=world.admin_x, key="a")  # the region admin above
    for outsider in (world.manager_l, world.admin_l, world.auditor_x, world.worker_x):
        with pytest.raises(PermissionDenied):
            add(world, actor=outsider, key="b")


def test_the_summary_counts_by_kind_within_the_dates(world):
    add(world, key="1", day=TODAY - timedelta(days=40), people_served=5)
    add(world, key="2", day=TODAY - timedelta(days=3), people_served=20)
    add(world, key="3", day=TODAY - timedelta(days=2), people_served=12)
    add(world, key="4", day=TODAY, kind_code="drinks_refill", people_served=0, bottles=60)
    add(world, key="5", day=TODAY, kind_code="legal", people_served=4, station=world.station_x)
    summary = station_services_summary(
        station=world.station_x, since=TODAY - timedelta(days=30), until=TODAY
    )
    assert (summary["entries"], summary["people_served"], summary["bottles"]) == (4, 36, 60)
    assert [
        (k["kind"], k["entries"], k["people_served"], k["bottles"]) for k in summary["by_kind"]
    ] == [
        ("health_check", 2, 32, 0),
        ("legal", 1, 4, 0),
        ("drinks_refill", 1, 0, 60),
    ]


# --- the API ----------------------------------------------------------------------------------


def post(client, station, key="api-1", **fields):
    data = {"date": TODAY.isoformat(), "kind": "haircut", "people_served": 15} | fields
    return client.post(URL.format(station.pk), data, headers={"Idempotency-Key": key})


def test_api_post_with_a_photo_then_the_same_key_again(world):
    client = client_for(world.manager_x)
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    response = post(client, world.station_x, photo=photo, note="理发师志愿者")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == {"code": "haircut", "name": "义剪", "counts_bottles": False}
    assert body["photo_url"].endswith(".jpg") and body["note"] == "理发师志愿者"
    again = post(client, world.station_x)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert post(client, world.station_x, key="").status_code == 422


def test_api_refuses_others_alike_whether_or_not_the_station_exists(world):
    client = client_for(world.manager_l)
    assert post(client, world.station_x).status_code == 404
    assert post(client, world.station_x, key="x").status_code == 404
    assert client.get(URL.format(world.station_x.pk)).status_code == 404
    assert client.get(URL.format(999_999)).status_code == 404
    worker = client_for(world.worker_x)
    assert worker.get(URL.format(world.station_x.pk)).status_code == 403
    assert client_for(None).get(URL.format(world.station_x.pk)).status_code == 401


def test_api_list_is_paged_latest_first_for_managers_admins_and_auditors(
    world, django_assert_max_num_queries
):
    for i in range(12):
        add(world, key=f"k{i}", day=TODAY - timedelta(days=i), people_served=i)
    for reader in (world.manager_x, world.admin_x, world.auditor_x):
        client = client_for(reader)
        with django_assert_max_num_queries(12):
            body = client.get(URL.format(world.station_x.pk) + "?page_size=5").json()
        assert body["count"] == 12
        assert [i["date"] for i in body["items"]] == [
            (TODAY - timedelta(days=i)).isoformat() for i in range(5)
        ]


def test_api_list_costs_the_same_queries_for_1_or_10_entries(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.manager_x)
    add(world, key="only")
    url = URL.format(world.station_x.pk)
    client.get(url)  # warm: grants, session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(9):
        add(world, key=f"more{i}", people_served=i)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(url).json()["items"]) == 10
    assert len(ten) == len(one)


def test_a_past_date_far_back_is_allowed(world):
    entry, _ = add(world, day=date(2026, 1, 5))
    assert entry.date == date(2026, 1, 5)
