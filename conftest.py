"""Fixtures shared by every app's tests: a small piece of Jiujiang and a station factory."""

from datetime import time

import pytest

from dandelion.regions.services import region_upsert
from dandelion.stations.services import place_set_weekly_hours, station_create


def pytest_collection_modifyitems(config, items):
    """A transactional test without serialized_rollback flushes the database and re-creates
    content types with new ids, which breaks every serialized test after it in the same
    process: refuse it when the suite is collected."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: transactional tests need serialized_rollback=True"
            )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language; a request in English must not leak into the
    next test run by the same worker thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_demand_counts_left_over():
    """Nearby searches buffer demand counts in the process (`coverage.demand`): a test's counts
    must not reach the next test, nor be flushed at the worker's exit into a test database
    already dropped."""
    from dandelion.coverage.demand import demand_forget

    yield
    demand_forget()


@pytest.fixture(autouse=True)
def _photo_slots_of_this_test_process(settings, tmp_path_factory):
    """Each test process decodes photos under its own slots: parallel test processes are not
    one server's workers."""
    settings.PHOTO_LOCK_DIR = str(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def _declared_problems():
    """operationId → the response statuses the API's OpenAPI document declares for it."""
    from dandelion.core.openapi import current_schema

    return {
        operation["operationId"]: {int(status) for status in operation["responses"]}
        for operations in current_schema("api-v1")["paths"].values()
        for operation in operations.values()
    }


@pytest.fixture(autouse=True)
def _problems_are_declared(request, monkeypatch):
    """Every problem an API operation answers with during any test must be declared in the
    OpenAPI document: the whole suite checks `problems(...)` on every operation it reaches."""
    from ninja.operation import Operation

    seen: list[str] = []
    run = Operation.run

    def recording_run(self, request_, **kw):
        response = run(self, request_, **kw)
        # A 500 is never declared: it is a bug, which schemathesis and the tests catch as such.
        if 400 <= response.status_code < 600 and response.status_code != 500 and self.operation_id:
            declared = request.getfixturevalue("_declared_problems").get(self.operation_id)
            if declared is not None and response.status_code not in declared:
                seen.append(f"{self.operation_id} answered {response.status_code}")
        return response

    monkeypatch.setattr(Operation, "run", recording_run)
    yield
    assert not seen, "Undeclared problem responses (add them to problems(...)): " + "; ".join(
        sorted(set(seen))
    )


@pytest.fixture
def jiujiang(db):
    """Jiangxi → Jiujiang → Xunyang (浔阳区) and Lianxi (濂溪区), with one street and community."""
    province = region_upsert(code="360000", name="江西省")
    city = region_upsert(
        code="360400", name="九江市", parent=province, center_lat=29.705, center_lng=116.0019
    )
    xunyang = region_upsert(
        code="360403", name="浔阳区", parent=city, center_lat=29.7275, center_lng=115.9899
    )
    lianxi = region_upsert(
        code="360402", name="濂溪区", parent=city, center_lat=29.6717, center_lng=116.0253
    )
    street = region_upsert(
        code="360403001", name="甘棠街道", parent=xunyang, center_lat=29.722, center_lng=115.995
    )
    community = region_upsert(code="360403001001", name="湓浦社区", parent=street)
    return {
        "province": province,
        "city": city,
        "xunyang": xunyang,
        "lianxi": lianxi,
        "street": street,
        "community": community,
    }


@pytest.fixture
def make_station(jiujiang):
    """Build a station through the service. Defaults: an active 24-hour comprehensive station."""
    counter = {"n": 0}

    def make(
        *,
        lat: float = 29.7275,
        lng: float = 115.9899,
        region=None,
        amenities=(),
        hours=None,
        is_24h: bool | None = None,
        **fields,
    ):
        counter["n"] += 1
        defaults = {
            "name": f"测试驿站{counter['n']}",
            "region": region or jiujiang["xunyang"],
            "address": "九江市浔阳区测试路1号",
            "lat": lat,
            "lng": lng,
            "kind": "comprehensive",
            "origin": "renovated",
            "is_24h": hours is None if is_24h is None else is_24h,
        }
        defaults.update(fields)
        station = station_create(amenity_codes=amenities, **defaults)
        if hours:
            place_set_weekly_hours(place=station, intervals=hours)
        return station

    return make


WEEKDAYS_9_TO_18 = [(d, time(9), time(18)) for d in range(7)]


def pytest_configure(config):
    """Tests render templates without running collectstatic (plain static storage), and run
    background tasks in-process right after the transaction that queued them commits (inside a
    test transaction, use `django_capture_on_commit_callbacks(execute=True)`). The nearby index
    compares its version on every call, since each test writes and rolls back places within a
    second (its once-a-second throttle has its own test)."""
    from django.conf import settings
    from django.core.signals import setting_changed

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # django-tasks may have read TASKS already (at import of a task); make it read them again.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.PLACE_INDEX_CHECK_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
