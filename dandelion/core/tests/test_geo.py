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
    assert links["amap"].startswith("https://uri.amap.com/marker?position=")
    assert f"position={glng:.6f},{glat:.6f}" in links["amap"]
    assert f"location={blat:.6f},{blng:.6f}" in links["baidu"]
    assert "coord_type=bd09ll" in links["baidu"]
    assert f"marker=coord:{glat:.6f},{glng:.6f};title:" in links["tencent"]
    # Names are percent-encoded so '&' cannot break the query string.
    assert "A%26B" in links["amap"] and "&B" not in links["amap"]


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
