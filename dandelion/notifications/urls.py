from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("stream/", views.live_stream, name="stream"),
    path("for-me/", views.recommendations_page, name="for_me"),
    path("settings/", views.settings_page, name="settings"),
]
