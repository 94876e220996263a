"""The figures app's public pages: open data at /open-data/."""

from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("", views.open_data_page, name="open_data"),
    path("<slug:table>.csv", views.open_data_csv, name="open_data_csv"),
]
