import math

import h3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dandelion.core import geo

CHINA_LAT = st.floats(min_value=18.2, max_value=53.0)
CHINA_LNG = st.floats(min_value=74.0, max_value=134.5)


def test_haversine_known_distance_beijing_shanghai():
    # Tiananmen to the Bund: about 1,067 km along the great circle.
    d = geo.haversine_m(39.9087, 116.3975, 31.2400, 121.4900)
    assert 1_060_000 < d < 1_075_000


def test_haversine_zero_and_symmetry():
    assert geo.haversine_m(29.7, 116.0, 29.7, 116.0) == 0
    assert geo.haversine_m(29.7, 116.0, 29.8, 116.1) == pytest.approx(
        geo.haversine_m(29.8, 116.1, 29.7, 116.0)
    )


def test_gcj02_offset_in_jiujiang_is_a_few_hundred_metres():
    lat, lng = 29.7050, 116.0019
    glat, glng = geo.wgs84_to_gcj02(lat, lng)
    offset = geo.haversine_m(lat, lng, glat, glng)
    assert 300 < offset < 700
    # Published reference value of the standard algorithm for this point (to 1e-6 degrees).
    assert (round(glat, 6), round(glng, 6)) == (29.702462, 116.006995)


def test_no_offset_outside_china():
    assert geo.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)
    assert geo.wgs84_to_bd09(40.6892, -74.0445) == (40.6892, -74.0445)


@given(CHINA_LAT, CHINA_LNG)
def test_gcj02_round_trip_is_within_a_centimetre(lat, lng):
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lng))
    assert geo.haversine_m(lat, lng, *back) < 0.01


@given(CHINA_LAT, CHINA_LNG)
def test_bd09_round_trip_is_within_a_centimetre(lat, lng):
    back = geo.bd09_to_wgs84(*geo.wgs84_to_bd09(lat, lng))
    assert geo.haversine_m(lat, lng, *back) < 0.01


def test_bd09_is_further_shifted_than_gcj02():
    lat, lng = 29.7050, 116.0019
    glat, glng = geo.wgs84_to_gcj02(lat, lng)
    blat, blng = geo.gcj02_to_bd09(glat, glng)
    assert geo.haversine_m(glat, glng, blat, blng) > 500


def test_navigation_links_use_each_apps_datum():
    links = geo.navigation_links(lat=29.7050, lng=116.0019, name="骑手之家 A&B")
    glat, glng = geo.wgs84_to_gcj02(29.7050, 116.0019)
    blat, blng = geo.wgs84_to_bd09(29.7050, 116.0019)
    assert links["amap"].startswith("https://uri.amap.com/navigation?to=")
    assert f"to={glng:.6f},{glat:.6f}," in links["amap"]
    assert f"location={blat:.6f},{blng:.6f}" in links["baidu"]
    assert "coord_type=bd09ll" in links["baidu"]
    assert f"tocoord={glat:.6f},{glng:.6f}" in links["tencent"]
    assert f"dlat={glat:.6f}&dlon={glng:.6f}" in links["amap_app"]
    assert f"dlat={glat:.6f}&dlon={glng:.6f}" in links["amap_ios"]
    assert f"destination=latlng:{blat:.6f},{blng:.6f}|name:" in links["baidu_app"]
    assert f"tocoord={glat:.6f},{glng:.6f}" in links["tencent_app"]
    # Names are percent-encoded so '&' cannot break the query string.
    for link in links.values():
        assert "A%26B" in link and "&B" not in link


def test_navigation_links_open_each_app_on_a_route():
    links = geo.navigation_links(lat=29.7050, lng=116.0019, name="驿站")

    assert links["amap_app"].startswith("amapuri://route/plan/?sourceApplication=dandelion&")
    assert links["amap_ios"].startswith("iosamap://path?sourceApplication=dandelion&")
    assert links["baidu_app"].startswith("baidumap://map/direction?destination=latlng:")
    assert links["tencent_app"].startswith("qqmap://map/routeplan?type=bike&")
    assert links["tencent"].startswith("https://apis.map.qq.com/uri/v1/routeplan?type=bike&")
    # Riding by default: Amap's t=3 and mode=ride, Baidu's riding, Tencent's bike.
    assert "&t=3" in links["amap_app"] and "&t=3" in links["amap_ios"]
    assert "mode=ride" in links["amap"] and "callnative=1" in links["amap"]
    assert "mode=riding" in links["baidu_app"]
    # dev=0: the coordinates are already GCJ-02, Amap must not shift them again.
    assert "dev=0" in links["amap_app"]


@pytest.mark.parametrize(
    ("mode", "amap", "amap_t", "baidu", "tencent"),
    [
        ("walk", "mode=walk", "t=2", "mode=walking", "type=walk"),
        ("ride", "mode=ride", "t=3", "mode=riding", "type=bike"),
        ("drive", "mode=car", "t=0", "mode=driving", "type=drive"),
    ],
)
def test_navigation_links_follow_the_travel_mode(mode, amap, amap_t, baidu, tencent):
    links = geo.navigation_links(lat=29.7050, lng=116.0019, name="驿站", mode=mode)

    assert amap in links["amap"] and links["amap_app"].endswith(amap_t)
    assert baidu in links["baidu_app"]
    assert tencent in links["tencent_app"] and tencent in links["tencent"]


def test_navigation_links_outside_china_are_not_shifted():
    links = geo.navigation_links(lat=51.5007, lng=-0.1246, name="Westminster")

    assert "dlat=51.500700&dlon=-0.124600" in links["amap_app"]
    assert "latlng:51.500700,-0.124600" in links["baidu_app"]


def test_travel_minutes_by_vehicle():
    assert geo.travel_minutes(1000, "walk") == 13  # 80 m a minute
    assert geo.travel_minutes(1000, "e_bike") == 4  # 250 m a minute
    assert geo.travel_minutes(1, "car") == 1  # never zero
    assert geo.RIDING_M_PER_MIN == 250 and geo.WALKING_M_PER_MIN == 80
    assert set(geo.ROUTE_MODES) == set(geo.TRAVEL_M_PER_MIN)


def test_to_and_from_wgs84_dispatch_on_datum():
    assert geo.to_wgs84(29.7, 116.0, "wgs84") == (29.7, 116.0)
    g = geo.from_wgs84(29.7, 116.0, "gcj02")
    assert geo.haversine_m(29.7, 116.0, *geo.to_wgs84(*g, "gcj02")) < 0.01


@pytest.mark.parametrize(
    ("lat", "lng", "ok"),
    [
        (0, 0, True),
        (90, 180, True),
        (-90.1, 0, False),
        (0, 180.5, False),
        (math.nan, 0, False),
        (0, math.inf, False),
    ],
)
def test_valid_wgs84(lat, lng, ok):
    assert geo.valid_wgs84(lat, lng) is ok


def test_h3_cells_are_the_cells_of_the_point():
    cells = geo.h3_cells(29.7050, 116.0019)
    assert set(cells) == {"h3_r5", "h3_r7", "h3_r9"}
    assert h3.int_to_str(cells["h3_r9"]) == h3.latlng_to_cell(29.7050, 116.0019, 9)
    assert all(0 < v < 2**63 for v in cells.values())  # fits a signed BIGINT
