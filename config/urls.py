from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from dandelion.directory.api import api as hsds_api

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("hsds/", hsds_api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("stations/", include("dandelion.stations.urls")),
    path("console/stations/", include("dandelion.stations.console_urls")),
    path("console/", include("dandelion.web.console_urls")),
    # Each app's worker pages (H5) and staff console pages.
    path("", include("dandelion.needs.urls")),
    path("console/needs/", include("dandelion.needs.console_urls")),
    path("", include("dandelion.reports.urls")),
    path("console/reports/", include("dandelion.reports.console_urls")),
    path("open311/v2/", include("dandelion.reports.open311.urls")),
    path("", include("dandelion.volunteering.urls")),
    path("console/volunteering/", include("dandelion.volunteering.console_urls")),
    path("", include("dandelion.points.urls")),
    path("console/points/", include("dandelion.points.console_urls")),
    path("console/standards/", include("dandelion.standards.console_urls")),
    path("console/coverage/", include("dandelion.coverage.console_urls")),
    path("console/figures/", include("dandelion.figures.console_urls")),
    path("open-data/", include("dandelion.figures.urls")),
    path("notifications/", include("dandelion.notifications.urls")),
    path("", include("dandelion.web.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
