"""The map page (/) as a worker on a phone uses it.

Tiles never come from the internet: the conftest draws on the blank grid, and the tests that
want tiles serve a stub PNG for every tile request (`stub_tiles`)."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from config.map_tiles import resolve_tiles
from dandelion.core.geo import gcj02_to_wgs84, wgs84_to_gcj02

pytestmark = pytest.mark.browser

ALL_FOUR = ["甘棠驿站", "老街爱心商铺", "湓浦骑手之家", "九江司机之家"]
FAILING_TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # nothing listens on loopback port 9
# What every tile request gets: a 256-pixel PNG of a pale block with two roads.
TILE_PNG = (Path(__file__).parent / "stub_tile.png").read_bytes()


def result_names(page):
    return page.locator("#results .result__name").all_inner_texts()


def nearby_query(request_url):
    return parse_qs(urlsplit(request_url).query)


def is_nearby(request):
    return "/api/v1/stations/nearby" in request.url


def is_geojson(request):
    return "/api/v1/stations.geojson" in request.url


def marker_count(page, kind):
    """Places of a kind on the map, whether drawn alone or gathered in a cluster."""
    return page.evaluate(
        """kind => window.dandelionMap.cluster.getLayers()
            .filter(l => l.feature.properties.type === kind).length""",
        kind,
    )


def stub_tiles(page, requested):
    """Serve every tile from TILE_PNG and note the URLs asked for."""

    def serve(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE_PNG)

    page.route(re.compile(r"^https://(webrd0\d\.is\.autonavi\.com|t\d\.tianditu\.gov\.cn)/"), serve)


def test_map_shows_markers_and_the_nearest_list(
    live_server, places, page, screenshot, blocked_requests
):
    with page.expect_request(is_nearby) as nearby:
        page.goto(live_server.url + "/")

    expect(page.locator("#results .result")).to_have_count(4)
    assert result_names(page) == ALL_FOUR
    first = page.locator("#results .result").first
    expect(first).to_contain_text("74 m")
    expect(first).to_contain_text("步行约 1 分钟")
    expect(first).to_have_attribute("href", f"/s/{places['gantang'].pk}/")
    expect(page.locator("#results .result").nth(1)).to_contain_text("免费热水，借用充电宝")
    # A partner's row navigates: Amap's route page, or its app on a phone.
    partner_row = page.locator("#results .result_partner")
    expect(partner_row).to_have_attribute("href", re.compile(r"^https://uri\.amap\.com/navigation"))
    expect(partner_row).to_have_attribute("data-app", re.compile(r"^amapuri://route/plan/"))
    expect(page.locator(".leaflet-interactive.marker_me")).to_have_count(1)
    page.wait_for_function("() => document.getElementById('map-page').dataset.loadedBox")
    assert (marker_count(page, "station"), marker_count(page, "partner")) == (3, 1)
    expect(page.locator("#origin-label")).to_have_text("我的位置")
    query = nearby_query(nearby.value.url)
    assert query["lat"] == ["29.724000"] and query["lng"] == ["115.992000"]
    assert query["limit"] == ["20"] and query["include_partners"] == ["true"]
    assert "open_now" not in query
    assert blocked_requests == []
    screenshot(page)


def test_amenity_chip_filters_the_list_and_the_markers(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)

    shower = page.locator(".chip", has_text="淋浴")
    with page.expect_request(is_nearby) as nearby:
        shower.click()
    expect(shower).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#results .result")).to_have_count(1)
    assert result_names(page) == ["九江司机之家"]
    assert nearby_query(nearby.value.url)["amenity"] == ["shower"]
    assert (marker_count(page, "station"), marker_count(page, "partner")) == (1, 0)
    screenshot(page)

    shower.click()
    expect(page.locator("#results .result")).to_have_count(4)
    page.locator(".chip", has_text="微波炉加热").click()
    expect(page.locator("#results .result")).to_have_count(1)
    assert result_names(page) == ["甘棠驿站"]


def test_no_match_shows_the_empty_state(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)

    page.locator(".chip", has_text="淋浴").click()
    page.locator(".chip", has_text="微波炉加热").click()

    expect(page.locator("#state-empty")).to_be_visible()
    expect(page.locator("#state-empty")).to_contain_text("附近没有符合条件的驿站")
    expect(page.locator("#results .result")).to_have_count(0)
    screenshot(page)


def test_open_now_switch_hides_closed_places(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)
    closed = page.locator("#results .result", has_text="湓浦骑手之家")
    expect(closed.locator(".result__badge_closed")).to_have_text("休息中")

    with page.expect_request(is_nearby) as nearby:
        page.locator(".toggle", has_text="营业中").click()

    assert nearby_query(nearby.value.url)["open_now"] == ["true"]
    expect(page.locator("#open-now")).to_be_checked()
    expect(page.locator("#results .result")).to_have_count(3)
    assert "湓浦骑手之家" not in result_names(page)
    assert marker_count(page, "station") == 2
    screenshot(page)


def test_partner_switch_hides_caring_merchants(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator("#results .result_partner .result__dot")).to_have_css(
        "background-color", "rgb(250, 157, 59)"
    )

    with page.expect_request(is_nearby) as nearby:
        page.locator(".toggle", has_text="爱心商铺/服务角").click()

    assert "include_partners" not in nearby_query(nearby.value.url)
    expect(page.locator("#results .result")).to_have_count(3)
    assert "老街爱心商铺" not in result_names(page)
    assert marker_count(page, "partner") == 0
    screenshot(page)


def test_geolocation_refused_offers_a_manual_location(live_server, places, make_page, screenshot):
    page = make_page(geolocation=None)
    page.goto(live_server.url + "/")

    fallback = page.locator("#geo-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text("你没有允许获取位置。")
    expect(page.locator("#origin-label")).to_have_text("默认位置")
    expect(page.locator("#results .result")).to_have_count(4)  # around MAP_DEFAULT_CENTER
    screenshot(page, "fallback")

    fallback.get_by_role("button", name="选择街道/区域").click()
    picker = page.locator("#picker")
    expect(picker).to_be_visible()
    expect(picker.locator(".region-option")).to_have_count(3)
    page.locator("#region-query").fill("甘棠")
    expect(picker.locator(".region-option")).to_have_count(1)
    screenshot(page, "picker")

    with page.expect_request(is_nearby) as nearby:
        picker.locator(".region-option", has_text="甘棠街道").click()
    expect(picker).to_be_hidden()
    expect(page.locator("#origin-label")).to_have_text("甘棠街道")
    query = nearby_query(nearby.value.url)
    assert (query["lat"], query["lng"]) == (["29.722000"], ["115.995000"])
    expect(page.locator("#results .result").first).to_contain_text("老街爱心商铺")

    # A tap on the map sets "my location" there.
    with page.expect_request(is_nearby) as nearby:
        page.locator("#map").click(position={"x": 60, "y": 200})
    expect(page.locator("#origin-label")).to_have_text("已选位置")
    expect(page.locator("#results .result")).to_have_count(4)
    screenshot(page)


def test_page_works_without_a_tile_url(live_server, places, page, settings, screenshot):
    settings.MAP_TILE_URL = ""

    page.goto(live_server.url + "/")

    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(page.locator("#map")).to_have_class(
        "map map_plain leaflet-container leaflet-touch "
        "leaflet-retina leaflet-fade-anim leaflet-grab "
        "leaflet-touch-drag leaflet-touch-zoom"
    )
    expect(page.locator("#tiles-notice")).to_be_hidden()
    # Without tiles nothing needs shifting: markers sit at their WGS-84 points.
    station = places["gantang"]
    at = page.evaluate(
        """id => {
            let found = null;
            window.dandelionMap.cluster.getLayers().forEach(l => {
                if (l.feature.id === id) found = l.getLatLng();
            });
            return found;
        }""",
        f"station-{station.pk}",
    )
    assert at == pytest.approx({"lat": station.lat, "lng": station.lng}, abs=1e-9)
    screenshot(page)


def test_failing_tiles_leave_the_list_usable_and_points_in_gcj02(
    live_server, places, page, settings, screenshot
):
    settings.MAP_TILE_URL = FAILING_TILES
    settings.MAP_TILE_COORD = "gcj02"
    settings.MAP_TILE_ATTRIBUTION = "测试底图"

    page.goto(live_server.url + "/")

    expect(page.locator("#tiles-notice")).to_be_visible()
    expect(page.locator("#tiles-notice")).to_have_text(
        "地图底图加载失败，已换成简易底图，列表仍可使用。"
    )
    expect(page.locator("#map-page")).to_have_attribute("data-tiles", "failed")
    expect(page.locator("#map")).to_have_class(re.compile(r"\bmap_plain\b"))
    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("测试底图")

    station = places["gantang"]
    at = page.evaluate(
        """id => {
            let found = null;
            window.dandelionMap.cluster.getLayers().forEach(l => {
                if (l.feature.id === id) found = l.getLatLng();
            });
            return found;
        }""",
        f"station-{station.pk}",
    )
    glat, glng = wgs84_to_gcj02(station.lat, station.lng)
    assert at == pytest.approx({"lat": glat, "lng": glng}, abs=1e-9)
    screenshot(page)

    # A tap on the GCJ-02 map is shifted back to WGS-84 before the API is asked.
    page.locator("#location-button").click()
    page.locator("#picker").get_by_role("button", name="在地图上点选").click()
    tapped = page.evaluate("() => window.dandelionMap.map.containerPointToLatLng([200, 250])")
    with page.expect_request(is_nearby) as nearby:
        page.locator("#map").click(position={"x": 200, "y": 250})
    expected = gcj02_to_wgs84(tapped["lat"], tapped["lng"])
    query = nearby_query(nearby.value.url)
    assert float(query["lat"][0]) == pytest.approx(expected[0], abs=1e-6)
    assert float(query["lng"][0]) == pytest.approx(expected[1], abs=1e-6)
    assert abs(float(query["lat"][0]) - tapped["lat"]) > 1e-3  # the shift really happened

    page.locator("#results .result", has_text="甘棠驿站").click()
    expect(page).to_have_url(f"{live_server.url}/s/{station.pk}/")


def test_coords_js_converts_as_python_does(live_server, page):
    page.goto(live_server.url + "/")
    points = [(29.7245, 115.9925), (39.9087, 116.3975), (22.5431, 114.0579), (35.6812, 139.7671)]

    for lat, lng in points:
        js = page.evaluate(
            "([lat, lng]) => window.DandelionCoords.wgs84ToGcj02(lat, lng)", [lat, lng]
        )
        assert js == pytest.approx(list(wgs84_to_gcj02(lat, lng)), abs=1e-6)
        back = page.evaluate("([lat, lng]) => window.DandelionCoords.gcj02ToWgs84(lat, lng)", js)
        assert back == pytest.approx(list(gcj02_to_wgs84(*js)), abs=1e-6)
        assert back == pytest.approx([lat, lng], abs=1e-6)


def test_api_failure_shows_a_retry(live_server, places, page, screenshot):
    failures = {"left": 1}

    def fail_once(route):
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, content_type="application/problem+json", body="{}")
        else:
            route.continue_()

    page.route("**/api/v1/stations/nearby?*", fail_once)
    page.goto(live_server.url + "/")

    error = page.locator("#state-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("加载失败")
    screenshot(page)

    error.get_by_role("button", name="重试").click()
    expect(error).to_be_hidden()
    expect(page.locator("#results .result")).to_have_count(4)


def test_sheet_handle_opens_the_full_list(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)

    page.locator("#sheet-handle").click()

    expect(page.locator("#sheet")).to_have_attribute("data-size", "full")
    expect(page.locator("#results .result").nth(3)).to_be_in_viewport()
    screenshot(page)


def test_language_switch_to_english(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator(".lang-switch").get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#sheet-title")).to_have_text("Nearby stations")
    expect(page.locator(".chip", has_text="Shower")).to_be_visible()
    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator("#results .result").first).to_contain_text("min walk")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom in")
    screenshot(page)


# ---- tiles, viewport loading, clustering, the card and navigation ----

ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def use_preset(settings, name, **options):
    layer = resolve_tiles(preset=name, **options)
    settings.MAP_TILE_LAYER = layer
    settings.MAP_TILE_URL = layer["url"]
    settings.MAP_TILE_COORD = layer["coord"]
    settings.MAP_TILE_ATTRIBUTION = layer["attribution"]
    settings.MAP_TILE_SUBDOMAINS = layer["subdomains"]


def marker_position(page, feature_id):
    """Where a place's marker is on the page (CSS pixels), to tap it as a finger would."""
    return page.evaluate(
        """id => {
            const m = window.dandelionMap;
            const layer = m.cluster.getLayers().find(l => l.feature.id === id);
            const p = m.map.latLngToContainerPoint(layer.getLatLng());
            const box = m.map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        feature_id,
    )


def test_map_draws_on_the_default_tiles_in_gcj02(
    live_server, places, page, settings, screenshot, blocked_requests
):
    use_preset(settings, "amap")
    tiles = []
    stub_tiles(page, tiles)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + "/")

    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator("#map-page")).to_have_attribute("data-tiles", "loaded")
    expect(page.locator("#tiles-notice")).to_be_hidden()
    assert tiles and all("is.autonavi.com/appmaptile" in url for url in tiles)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© 高德地图")
    # Chinese tooltips on the zoom buttons.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    station = places["gantang"]
    page.wait_for_function("() => document.getElementById('map-page').dataset.loadedBox")
    at = page.evaluate(
        """id => window.dandelionMap.cluster.getLayers()
            .find(l => l.feature.id === id).getLatLng()""",
        f"station-{station.pk}",
    )
    glat, glng = wgs84_to_gcj02(station.lat, station.lng)
    assert at == pytest.approx({"lat": glat, "lng": glng}, abs=1e-9)
    assert blocked_requests == [] and errors == []  # the favicon is found, nothing else fails
    screenshot(page)


def test_tianditu_draws_roads_and_names_with_its_key(live_server, places, page, settings):
    use_preset(settings, "tianditu", key="test-key")
    tiles = []
    stub_tiles(page, tiles)

    page.goto(live_server.url + "/")

    expect(page.locator("#map-page")).to_have_attribute("data-tiles", "loaded")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 8")
    assert any("LAYER=vec" in url for url in tiles) and any("LAYER=cva" in url for url in tiles)
    assert all(url.endswith("&tk=test-key") for url in tiles)
    # CGCS2000 is WGS-84 to within centimetres: nothing is shifted.
    station = places["gantang"]
    at = page.evaluate(
        """id => window.dandelionMap.cluster.getLayers()
            .find(l => l.feature.id === id).getLatLng()""",
        f"station-{station.pk}",
    )
    assert at == pytest.approx({"lat": station.lat, "lng": station.lng}, abs=1e-9)


@pytest.fixture
def far_town(make_station):
    """Twelve stations in a tight block about 8 km east of the worker: outside the first view."""
    return [
        make_station(
            name=f"东城驿站{i + 1}",
            lat=29.7300 + 0.0012 * (i // 4),
            lng=116.0750 + 0.0012 * (i % 4),
        )
        for i in range(12)
    ]


def test_map_loads_the_places_in_view_and_clusters_them_when_zoomed_out(
    live_server, places, far_town, page, screenshot
):
    boxes = []
    page.on(
        "request", lambda r: boxes.append(nearby_query(r.url)["bbox"][0]) if is_geojson(r) else None
    )

    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(16)  # the nearest twenty, or all
    page.wait_for_function("() => document.getElementById('map-page').dataset.loadedBox")

    # The first view holds the worker's neighbourhood only: the far town is not asked for.
    assert len(boxes) == 1
    min_lng, _, max_lng, _ = map(float, boxes[0].split(","))
    assert min_lng < 115.9920 < max_lng and max_lng < 116.0750

    # Zoomed out to the city: a wider box, and the far town's twelve gathered in a cluster.
    with page.expect_request(is_geojson):
        page.evaluate("() => window.dandelionMap.map.setZoom(11, {animate: false})")
    page.wait_for_function("() => window.dandelionMap.cluster.getLayers().length === 16")
    clusters = page.locator(".cluster")
    expect(clusters.first).to_be_visible()
    counts = [int(text) for text in clusters.all_inner_texts()]
    assert max(counts) >= 12  # the town, one cluster
    screenshot(page, "city")

    # A small pan inside what was loaded asks for nothing new.
    before = len(boxes)
    page.evaluate("() => window.dandelionMap.map.panBy([40, 0], {animate: false})")
    page.wait_for_timeout(400)  # past the map's 150 ms settle delay; nothing is expected
    assert len(boxes) == before

    # Zoomed in on the town, the stations stand alone.
    town = far_town[5]
    page.evaluate(
        "([lat, lng]) => window.dandelionMap.map.setView([lat, lng], 16, {animate: false})",
        [town.lat, town.lng],
    )
    expect(page.locator(".leaflet-interactive.marker_station").first).to_be_visible()
    expect(page.locator(".cluster")).to_have_count(0)
    screenshot(page)


def test_tapping_a_marker_shows_its_card_and_navigation_opens_the_app(
    live_server, places, make_page, screenshot
):
    page = make_page()
    page.add_init_script(
        f"Object.defineProperty(navigator, 'userAgent', {{get: () => {ANDROID_UA!r}}});"
    )
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)
    station = places["gantang"]
    page.evaluate(
        "([lat, lng]) => window.dandelionMap.map.setView([lat, lng], 17, {animate: false})",
        [station.lat, station.lng],
    )
    page.wait_for_function("() => document.getElementById('map-page').dataset.loadedBox")

    spot = marker_position(page, f"station-{station.pk}")
    page.mouse.click(spot["x"], spot["y"])

    card = page.locator("#place-card")
    expect(card).to_be_visible()
    expect(card.locator(".place-card__name")).to_have_text("甘棠驿站")
    expect(card.locator(".result__badge_open")).to_be_visible()
    expect(card.locator(".result__badge_closed")).to_be_hidden()
    expect(card).to_contain_text("74 m")
    expect(card).to_contain_text("步行约 1 分钟 · 骑行约 1 分钟")
    expect(card.locator(".place-card__details")).to_have_attribute("href", f"/s/{station.pk}/")
    expect(card.locator(".place-card__stars")).to_be_hidden()  # no stars yet
    navigate = card.get_by_role("button", name="导航")
    expect(navigate).to_be_enabled()
    screenshot(page, "card")

    navigate.click()
    sheet = page.locator("#nav-sheet")
    expect(sheet).to_be_visible()
    api = page.request.get(f"{live_server.url}/api/v1/stations/{station.pk}").json()
    links = api["navigation"]
    amap = sheet.get_by_role("link", name="高德地图")
    expect(amap).to_have_attribute("href", links["amap"])
    expect(amap).to_have_attribute("data-app", links["amap_app"])
    expect(sheet.get_by_role("link", name="百度地图")).to_have_attribute(
        "data-app", links["baidu_app"]
    )
    expect(sheet.get_by_role("link", name="腾讯地图")).to_have_attribute(
        "data-app", links["tencent_app"]
    )
    screenshot(page, "navigate")

    # On an Android phone the app's route opens first; with no app, the web route page after.
    page.evaluate(
        "() => { window.went = []; window.DandelionNavigate.go = u => window.went.push(u); }"
    )
    amap.click()
    page.wait_for_function("() => window.went.length === 2")
    went = page.evaluate("() => window.went")
    assert went[0].startswith("amapuri://route/plan/?sourceApplication=dandelion&")
    assert went[1] == links["amap"] and "mode=ride" in went[1]

    # A place with stars shows them.
    page.evaluate(
        """id => {
            const m = window.dandelionMap;
            const layer = m.cluster.getLayers().find(l => l.feature.id === id);
            const feature = JSON.parse(JSON.stringify(layer.feature));
            feature.properties.stars = 3;
            m.state.details = {};
            m.openCard(feature);
        }""",
        f"station-{places['driver_home'].pk}",
    )
    expect(card.locator(".place-card__stars")).to_have_text("★★★")
    expect(card.locator(".place-card__stars")).to_have_attribute("title", "3 星级")


def test_map_page_has_the_three_tabs_of_every_page(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")

    tabs = page.locator(".tabbar .weui-tabbar__label")
    expect(tabs).to_have_text(["地图", "服务", "我的"])
    expect(page.locator(".tabbar .weui-bar__item_on")).to_have_text("地图")
    # 服务 has an icon of its own, not the list's.
    services_icon = page.locator(".tabbar a[href='/services/'] svg").inner_html()
    assert "rect" in services_icon
    expect(page.locator(".map-locate")).to_be_visible()
    screenshot(page)
