"""The stations app's staff console pages, under /console/stations/."""

from django.urls import path

from . import console_views

app_name = "stations_console"

urlpatterns = [
    path("visits/review/", console_views.visit_review_queue, name="visit_review"),
    path(
        "visits/<int:visit_id>/review/",
        console_views.visit_review_decide,
        name="visit_review_decide",
    ),
]
