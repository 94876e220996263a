"""The volunteering app's worker pages (H5), and the page a station's QR code opens to record a
visit (打卡): `/v/<visit code>`. The old posters' address, `/s/<uuid>/checkin`, stays to say the
poster is out of date (410)."""

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
    path("volunteer/code/<uuid:code>/", views.attendance_code_page, name="code"),
    path("volunteer/mine/", views.my_signups, name="mine"),
    path("volunteer/hours/", views.my_hours, name="hours"),
    path("volunteer/hours/certificate.pdf", views.certificate, name="certificate"),
    path("v/<str:code>", views.station_visit, name="station_visit"),
    path("s/<uuid:station_uuid>/checkin", views.poster_out_of_date, name="poster_out_of_date"),
]
