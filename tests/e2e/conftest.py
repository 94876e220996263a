"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's
live server. Every request that does not go to loopback is refused, so no test touches the
network; each test leaves a screenshot in test-artifacts/."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from dandelion.stations.services import partner_create, place_add_exception

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The suite runs two workers on two cores, each with its own browser and live server; a page's
# first answer can take a few seconds there (a cold nearby index, a busy CPU). Waiting up to 10 s
# for what a page should show keeps the tests about the pages, not about the machine's load.
expect.set_options(timeout=10_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
# Near 甘棠街道 in Xunyang, Jiujiang: the test stations sit a few hundred metres around it.
HERE = {"latitude": 29.7240, "longitude": 115.9920}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


HERE_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # The amenity catalogue is seeded by a migration; a transactional test flushes it, so
    # browser tests restore the migrated rows before they run.
    for item in items:
        if item.path.is_relative_to(HERE_DIR) and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture
def browser():
    """Chromium for one test.

    Function-scoped on purpose: while Playwright's sync API runs, this thread's context
    variables are not the ones Django's database setup ran in, so the test database's
    connection (and the migrated rows kept for serialized rollback) would not be found. Stopping
    Playwright at the end of each test puts them back before the database is reset."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # ORM calls the test made between browser steps opened connections of their own
            # (see above); close them here, in the same context, or PostgreSQL keeps a session
            # open on the test database and it cannot be dropped at the end.
            connections.close_all()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates resolve `{% static %}` without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_tile_server(settings):
    """Maps draw on the blank grid (the `none` tile preset): the default preset's tiles are on
    the internet. A test that wants tiles sets `MAP_TILE_URL` and serves them with `page.route`
    (tests/e2e/test_map_page.py's `stub_tiles`)."""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _pages_poll_instead_of_streaming(settings):
    """Browser tests' pages poll for their badges rather than hold a live stream: the live
    server shares the test's in-memory SQLite connection with its threads, and a stream reading
    it while the test writes can hang both. tests/e2e/test_live.py turns streams back on, with
    the care that needs (streams that read only when woken, and are ended before teardown)."""
    settings.LIVE_MAX_STREAMS = 0


def _only_loopback(route):
    host = urlsplit(route.request.url).hostname or ""
    if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def blocked_requests():
    """URLs the page tried to reach outside loopback (and was refused)."""
    return []


@pytest.fixture
def make_page(browser, blocked_requests):
    """A phone-sized page; `geolocation=None` leaves the permission ungranted (refused)."""
    contexts = []

    def make(*, geolocation=HERE, locale="zh-CN"):
        options = {"viewport": PHONE, "device_scale_factor": 2, "locale": locale, "is_mobile": True}
        if geolocation is not None:
            options.update(geolocation=geolocation, permissions=["geolocation"])
        context = browser.new_context(**options)
        contexts.append(context)

        def route(route):
            host = urlsplit(route.request.url).hostname or ""
            if host not in LOOPBACK:
                blocked_requests.append(route.request.url)
            _only_loopback(route)

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def screenshot(request):
    """`screenshot(page)` saves test-artifacts/<test name>[-<suffix>].png at the phone size."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, suffix: str = "", *, full_page: bool = False) -> Path:
        name = request.node.name.replace("[", "-").replace("]", "")
        path = ARTIFACTS / f"{name}{'-' + suffix if suffix else ''}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def places(jiujiang, make_station):
    """Three stations and a caring merchant within about a kilometre of HERE.

    - 甘棠驿站: nearest, open around the clock, hot water, microwave, phone charging, toilet;
    - 湓浦骑手之家: 9:00–18:00 but closed today and tomorrow for repairs, so closed whatever
      the hour the test runs at; hot water and e-bike charging;
    - 九江司机之家: about a kilometre away, 24 hours, truck parking, shower, hot water;
    - 老街爱心商铺: a partner place beside the first station.
    """
    from datetime import time, timedelta

    street = jiujiang["street"]
    gantang = make_station(
        name="甘棠驿站",
        lat=29.7245,
        lng=115.9925,
        region=street,
        address="九江市浔阳区甘棠北路8号",
        phone="0792-8221234",
        amenities=["hot_water", "microwave", "phone_charging", "toilet"],
    )
    rider_home = make_station(
        name="湓浦骑手之家",
        lat=29.7262,
        lng=115.9900,
        region=street,
        kind="rider_home",
        address="九江市浔阳区湓浦路21号",
        amenities=["hot_water", "ebike_charging"],
        hours=[(day, time(9), time(18)) for day in range(7)],
    )
    today = timezone.localdate()
    for offset in (0, 1):
        place_add_exception(
            place=rider_home, day=today + timedelta(days=offset), closed=True, note="设备检修"
        )
    driver_home = make_station(
        name="九江司机之家",
        lat=29.7310,
        lng=116.0005,
        kind="driver_home",
        address="九江市浔阳区长江大道100号",
        amenities=["hot_water", "truck_parking", "shower"],
    )
    merchant = partner_create(
        name="老街爱心商铺",
        region=street,
        address="九江市浔阳区甘棠北路12号",
        lat=29.7236,
        lng=115.9936,
        kind="caring_merchant",
        offer="免费热水，借用充电宝",
        is_24h=True,
        amenity_codes=["hot_water", "drinking_water"],
    )
    return {
        "gantang": gantang,
        "rider_home": rider_home,
        "driver_home": driver_home,
        "merchant": merchant,
    }
