"""The standards app's staff console pages, under /console/standards/."""

from django.urls import path

from . import console_views as views

app_name = "standards_console"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("rounds/", views.round_open, name="round_open"),
    path("assessments/<int:assessment_id>/", views.assessment_page, name="assessment"),
    path("assessments/<int:assessment_id>/move/", views.assessment_move, name="move"),
    path("assessments/<int:assessment_id>/evidence/", views.evidence_add, name="evidence"),
    path("stars/", views.star_table, name="stars"),
    path("stars.xlsx", views.star_table_xlsx, name="stars_xlsx"),
    path("editor/", views.standards_list, name="standards"),
    path("editor/draft/", views.standard_draft, name="draft"),
    path("editor/<int:standard_id>/", views.standard_page, name="standard"),
]
