"""The installable web app: the manifest, the service worker at the root, the offline page."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_every_page_links_the_manifest_and_it_describes_the_app():
    page = Client().get("/privacy/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "/static/web/offline.js" in page
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "蒲公英" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512", "any"}
    english = json.loads(Client().get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert english["lang"] == "en"


def test_the_service_worker_is_served_from_the_root_with_the_shell_it_caches():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", body).group(1))
    assert config["offline_url"] == "/offline/"
    assert config["nearby_url"] == "/api/v1/stations/nearby"
    assert "/static/web/app.css" in config["shell"] and "/offline/" in config["shell"]
    assert Client().get("/offline/").status_code == 200
    for url in config["shell"][1:]:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_offline_page_says_what_works_without_a_network():
    page = Client().get("/offline/").content.decode()
    assert "现在没有网络" in page and "联网后自动发送" in page
