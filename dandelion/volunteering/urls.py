"""The volunteering app's worker pages (H5), and a station's check-in page (`/s/<uuid>/checkin`,
the address printed in every station's QR code)."""

from django.urls import path

from . import views

app_name = "volunteering"

urlpatterns = [
    path("volunteer/", views.feed, name="feed"),
    path("volunteer/feed/", views.feed_fragment, name="feed_fragment"),
    path("volunteer/activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("volunteer/activities/<int:activity_id>/signup/", views.signup_view, name="signup"),
    path("volunteer/activities/<int:activity_id>/cancel/", views.signup_cancel_view, name="cancel"),
    path("volunteer/activities/<int:activity_id>/attend/", views.attend_view, name="attend"),
    path("volunteer/code/<uuid:token>/", views.organiser_code, name="code"),
    path("volunteer/mine/", views.my_signups, name="mine"),
    path("volunteer/hours/", views.my_hours, name="hours"),
    path("volunteer/hours/certificate.pdf", views.certificate, name="certificate"),
    path("s/<uuid:station_uuid>/checkin", views.station_checkin, name="station_checkin"),
]
