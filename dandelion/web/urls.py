from django.urls import path

from . import people, pwa, views

app_name = "web"

urlpatterns = [
    path("", views.station_map, name="map"),
    # /stations/ belongs to the stations app's own pages, so a station's H5 page is /s/<id>/.
    path("s/<int:station_id>/", views.station_detail, name="station"),
    path("map/regions/", views.region_options, name="region_options"),
    # The installable web app: at the root, so the worker's scope is every page.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline_page, name="offline"),
    path("login/", people.login_page, name="login"),
    path("logout/", people.logout_page, name="logout"),
    path("register/", people.register_page, name="register"),
    path("me/", people.me_page, name="me"),
    path("join/", people.join_page, name="join"),
    path("privacy/", people.privacy_page, name="privacy"),
    path("services/", people.services_page, name="services"),
    path("me/notifications/", people.notifications_page, name="notifications"),
    path(
        "me/notifications/read-all/",
        people.notifications_read_all,
        name="notifications_read_all",
    ),
]
