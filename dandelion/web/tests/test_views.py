"""The H5 pages through Django's test client: what they render, for whom, and in which language."""

import json
import re
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from dandelion.accounts.testing import *  # noqa: F403
from dandelion.accounts.testing import client_for
from dandelion.core.geo import navigation_links
from dandelion.stations.services import place_add_exception

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def map_config(response) -> dict:
    match = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>', response.text, re.S
    )
    return json.loads(match.group(1))


def test_map_page_hands_the_script_its_configuration(client, settings, jiujiang):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_COORD = "wgs84"
    settings.MAP_DEFAULT_CENTER = [29.72, 115.99]

    response = client.get("/")

    assert response.status_code == 200
    config = map_config(response)
    assert config["tiles"]["url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert config["tiles"]["coord"] == "wgs84"
    assert config["defaultCenter"] == [29.72, 115.99]
    assert config["api"] == {
        "nearby": "/api/v1/stations/nearby",
        "geojson": "/api/v1/stations.geojson",
        "station": "/api/v1/stations/{id}",
        "partner": "/api/v1/partners/{id}",
    }
    assert config["stationUrl"] == "/s/{id}/"
    assert config["nearbyLimit"] == 20
    assert config["minLoadZoom"] == 10
    # An anonymous visitor is taken for a rider: riding time at an e-bike's 250 m a minute.
    assert (config["vehicle"], config["speedMPerMin"], config["routeMode"]) == (
        "e_bike",
        250,
        "ride",
    )
    assert config["messages"]["travel"] == "骑行约 %(n)s 分钟"
    # The filter chips come with the page: the nearest list is the only request before it shows.
    assert {"code": "hot_water", "name": "热水", "icon": "♨️"} in config["amenities"]
    # A URL of one's own: no preset labels layer, and the datum as configured.
    assert (config["tiles"]["labelsUrl"], config["tiles"]["maxZoom"]) == ("", 18)


def test_map_page_takes_the_presets_labels_layer(client, settings, jiujiang):
    from config.map_tiles import resolve_tiles

    layer = resolve_tiles(preset="tianditu", key="k123")
    settings.MAP_TILE_LAYER = layer
    settings.MAP_TILE_URL = layer["url"]
    settings.MAP_TILE_COORD = layer["coord"]

    tiles = map_config(client.get("/"))["tiles"]

    assert tiles["url"].endswith("&tk=k123") and "LAYER=vec" in tiles["url"]
    assert "LAYER=cva" in tiles["labelsUrl"]
    assert tiles["coord"] == "wgs84"


def test_map_page_with_no_tiles_draws_in_wgs84(client, settings, jiujiang):
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_COORD = "gcj02"

    tiles = map_config(client.get("/"))["tiles"]

    assert tiles["url"] == "" and tiles["coord"] == "wgs84"


def test_map_page_has_three_tabs_and_a_favicon(client, jiujiang):
    text = client.get("/").text

    tabs = re.findall(r'<span class="weui-tabbar__label">([^<]+)', text)
    assert [tab.strip() for tab in tabs] == ["地图", "服务", "我的"]
    assert 'weui-bar__item_on" href="/" aria-current="page"' in text
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in text


def test_map_page_loads_only_its_own_static_files(client, jiujiang):
    response = client.get("/")

    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', response.text)
    # Files from this site only (the static files and the web app manifest), no CDN.
    own = [s for s in sources if s.startswith("/static/") or s == reverse("web:manifest")]
    assert sources and own == sources, sources
    assert '<html lang="zh-hans">' in response.text
    assert 'name="viewport"' in response.text


def test_map_page_lists_districts_and_streets_for_a_manual_location(client, jiujiang):
    response = client.get("/")

    names = re.findall(r'data-name="([^"]+)"', response.text)
    assert set(names) == {"甘棠街道", "浔阳区", "濂溪区"}


def test_region_options_filter_by_name(client, jiujiang):
    response = client.get(reverse("web:region_options"), {"q": "濂溪"})

    assert response.status_code == 200
    assert re.findall(r'data-name="([^"]+)"', response.text) == ["濂溪区"]
    assert "<html" not in response.text  # a fragment for htmx to swap in


def test_region_options_say_so_when_nothing_matches(client, jiujiang):
    response = client.get(reverse("web:region_options"), {"q": "不存在的街道"})

    assert "没有找到这个地方" in response.text


def test_region_options_stay_near_the_default_centre(client, jiujiang, settings):
    settings.MAP_DEFAULT_CENTER = [39.9, 116.4]  # Beijing: Jiujiang is out of the window

    response = client.get(reverse("web:region_options"))

    assert "data-name" not in response.text


def test_station_page(client, make_station, django_assert_max_num_queries):
    station = make_station(
        name="甘棠驿站",
        phone="0792-8221234",
        amenities=["hot_water", "toilet"],
        hours=[(d, time(18), time(2)) for d in range(7)],
        notes="夜间请按门铃。",
    )
    place_add_exception(place=station, day=timezone.localdate(), closed=True, note="设备检修")

    with django_assert_max_num_queries(8):
        response = client.get(f"/s/{station.pk}/")

    assert response.status_code == 200
    text = response.text
    assert "甘棠驿站" in text
    assert 'href="tel:0792-8221234"' in text
    assert text.count("18:00–次日02:00") == 7
    assert "设备检修" in text and "全天休息" in text
    assert "夜间请按门铃。" in text
    assert "♨️" in text and "卫生间" in text
    links = navigation_links(lat=station.lat, lng=station.lng, name=station.name)
    for label, key in (
        ("高德地图导航", "amap"),
        ("百度地图导航", "baidu"),
        ("腾讯地图导航", "tencent"),
    ):
        href = links[key].replace("&", "&amp;")
        assert f'href="{href}" rel="noopener">{label}</a>' in text


def test_station_page_in_english(client, make_station):
    station = make_station(amenities=["hot_water"])
    client.cookies["django_language"] = "en"

    response = client.get(f"/s/{station.pk}/")

    assert '<html lang="en">' in response.text
    assert "Opening hours" in response.text
    assert "Navigate with Amap" in response.text
    assert "Hot water" in response.text
    assert "Mon" in response.text


def test_unknown_station_is_a_404_page_in_the_site_look(client, db):
    response = client.get("/s/987654/")

    assert response.status_code == 404
    assert "没有找到这个页面" in response.text
    assert "/static/web/app.css" in response.text


def test_unknown_path_uses_the_same_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "没有找到这个页面" in response.text


def test_pages_are_read_only(client, make_station):
    station = make_station()

    assert client.post("/").status_code == 405
    assert client.post(f"/s/{station.pk}/").status_code == 405


def test_map_page_words_travel_by_the_workers_vehicle(make_worker, jiujiang):
    from dandelion.accounts.services import worker_profile_update

    worker = make_worker()
    worker_profile_update(user=worker, changes={"vehicle": "car"})

    config = map_config(client_for(worker).get("/"))

    assert (config["vehicle"], config["speedMPerMin"]) == ("car", 400)
    assert config["routeMode"] == "drive"
    assert config["messages"]["travel"] == "驾车约 %(n)s 分钟"


def test_the_profile_form_edits_the_vehicle(make_worker, jiujiang):
    worker = make_worker()
    client = client_for(worker)
    page = client.get(reverse("web:register")).text
    assert 'name="vehicle"' in page and '<option value="e_bike" selected>' in page


def test_every_service_tile_has_its_own_icon(make_worker):
    text = client_for(make_worker()).get(reverse("web:services")).text

    icons = re.findall(r'<span class="services__icon" aria-hidden="true">([^<]*)</span>', text)
    assert len(icons) >= 5 and len(set(icons)) == len(icons)


def test_a_drivers_station_page_plans_a_driving_route(make_worker, make_station):
    from dandelion.accounts.services import worker_profile_update

    station = make_station(name="司机之家")
    driver = make_worker()
    worker_profile_update(user=driver, changes={"vehicle": "car"})

    text = client_for(driver).get(f"/s/{station.pk}/").text
    rider_text = client_for(make_worker()).get(f"/s/{station.pk}/").text

    assert 'data-app="amapuri://route/plan/' in text and "&amp;t=0" in text  # driving
    assert "&amp;t=3" in rider_text and "&amp;t=0" not in rider_text  # riding
