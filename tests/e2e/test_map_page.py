"""The map page (/) as a worker on a phone uses it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from dandelion.core.geo import gcj02_to_wgs84, wgs84_to_gcj02

pytestmark = pytest.mark.browser

ALL_FOUR = ["甘棠驿站", "老街爱心商铺", "湓浦骑手之家", "九江司机之家"]
FAILING_TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # nothing listens on loopback port 9


def result_names(page):
    return page.locator("#results .result__name").all_inner_texts()


def nearby_query(request_url):
    return parse_qs(urlsplit(request_url).query)


def is_nearby(request):
    return "/api/v1/stations/nearby" in request.url


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
    expect(page.locator(".leaflet-interactive.marker_station")).to_have_count(3)
    expect(page.locator(".leaflet-interactive.marker_partner")).to_have_count(1)
    expect(page.locator(".leaflet-interactive.marker_me")).to_have_count(1)
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
    expect(page.locator(".leaflet-interactive.marker_station")).to_have_count(1)
    expect(page.locator(".leaflet-interactive.marker_partner")).to_have_count(0)
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
    expect(page.locator(".leaflet-interactive.marker_station")).to_have_count(2)
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
    expect(page.locator(".leaflet-interactive.marker_partner")).to_have_count(0)
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
            window.dandelionMap.map.eachLayer(l => {
                if (l.feature && l.feature.id === id) found = l.getLatLng();
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
    expect(page.locator("#tiles-notice")).to_have_text("地图底图加载失败，列表仍可使用。")
    expect(page.locator("#results .result")).to_have_count(4)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("测试底图")

    station = places["gantang"]
    at = page.evaluate(
        """id => {
            let found = null;
            window.dandelionMap.map.eachLayer(l => {
                if (l.feature && l.feature.id === id) found = l.getLatLng();
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


def test_list_tab_opens_the_full_list(live_server, places, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("#results .result")).to_have_count(4)

    page.locator(".tabbar [data-tab=list]").click()

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
    screenshot(page)
