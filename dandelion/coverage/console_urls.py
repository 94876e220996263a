"""The coverage app's staff console pages, under /console/coverage/."""

from django.urls import path

from . import console_views

app_name = "coverage_console"

urlpatterns = [
    path("", console_views.coverage_map, name="map"),
    path("communities/", console_views.coverage_communities, name="communities"),
    path("siting.xlsx", console_views.coverage_siting_xlsx, name="siting_xlsx"),
]
