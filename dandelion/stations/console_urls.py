"""The stations app's staff console pages, under /console/stations/."""

from django.urls import path

from . import console_views, console_work_log

app_name = "stations_console"

urlpatterns = [
    path("", console_work_log.station_list, name="stations"),
    path("<int:station_id>/", console_work_log.station_detail, name="station"),
    path("<int:station_id>/services/", console_work_log.station_log_add, name="station_log_add"),
    path("<int:station_id>/facts/", console_work_log.station_facts, name="station_facts"),
    path("visits/review/", console_views.visit_review_queue, name="visit_review"),
    path(
        "visits/<int:visit_id>/review/",
        console_views.visit_review_decide,
        name="visit_review_decide",
    ),
]
