"""The reports app's staff console pages, under /console/reports/."""

from django.urls import path

from . import console_views

app_name = "reports_console"

urlpatterns = [
    path("", console_views.report_queue, name="queue"),
    path("<int:report_id>/", console_views.report_detail, name="detail"),
]
