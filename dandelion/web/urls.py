from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.station_map, name="map"),
    # /stations/ belongs to the stations app's own pages, so a station's H5 page is /s/<id>/.
    path("s/<int:station_id>/", views.station_detail, name="station"),
    path("map/regions/", views.region_options, name="region_options"),
]
