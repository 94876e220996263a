"""The volunteering app's staff console pages, under /console/volunteering/."""

from django.urls import path

from . import console

app_name = "volunteering_console"

urlpatterns = [
    path("", console.activity_list, name="list"),
    path("new/", console.activity_new, name="new"),
    path("hours/", console.hours_summary, name="hours"),
    path("<int:activity_id>/", console.activity_detail, name="detail"),
    path("<int:activity_id>/edit/", console.activity_edit, name="edit"),
    path("<int:activity_id>/state/", console.activity_state, name="state"),
    path("<int:activity_id>/code.svg", console.activity_code_svg, name="code_svg"),
    path("<int:activity_id>/attendance/", console.attendance_record_view, name="attendance"),
    path(
        "attendance/<int:attendance_id>/confirm/", console.attendance_confirm_view, name="confirm"
    ),
]
