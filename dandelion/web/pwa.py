"""The H5 as an installable web app (PWA): its manifest, its service worker, and the page shown
offline for a page never opened before.

The service worker is a template so that it names the static files' real (hashed) URLs; its
version is a digest of what it caches, so a deploy that changes any of them installs a new
worker and drops the old caches. What it does, and what the page-side outbox does with forms
made offline, is said at the top of `templates/web/sw.js` and `static/web/offline.js`."""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# The shell: what every H5 page needs to draw itself without a network.
SHELL_STATIC = (
    "vendor/weui/weui.min.css",
    "web/app.css",
    "web/forms.js",
    "web/offline.js",
    "web/favicon.svg",
    "web/icon-192.png",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
)


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    return JsonResponse(
        {
            "name": settings.SITE_NAME or _("蒲公英"),
            "short_name": settings.SITE_NAME or _("蒲公英"),
            "description": _("骑手、快递员、司机的暖心驿站地图与服务"),
            "lang": request.LANGUAGE_CODE,
            "start_url": reverse("web:map"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ededed",
            "theme_color": "#07c160",
            "icons": [
                {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("web/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _worker_config() -> dict:
    shell = [reverse("web:offline"), *(static(path) for path in SHELL_STATIC)]
    digest = hashlib.sha256(json.dumps(shell).encode()).hexdigest()[:12]
    return {
        "version": digest,
        "shell": shell,
        "offline_url": reverse("web:offline"),
        "static_prefix": settings.STATIC_URL,
        "nearby_url": reverse("api-v1:stations_nearby"),
    }


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """Served from the site's root so that it may control every page (its scope is `/`)."""
    body = render_to_string("web/sw.js", {"config": json.dumps(_worker_config())})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request):
    return render(request, "web/offline.html")
