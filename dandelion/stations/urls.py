from django.urls import path

from . import views

app_name = "stations"

urlpatterns: list = [
    path("<int:station_id>/qr.svg", views.station_qr_svg, name="qr_svg"),
    path("<int:station_id>/qr.png", views.station_qr_png, name="qr_png"),
    path("<int:station_id>/poster/", views.station_poster, name="poster"),
]
