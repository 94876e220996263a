"""The reports app's worker pages (H5)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/new/", views.report_new, name="new"),
    path("reports/new/categories/", views.report_new_categories, name="new_categories"),
    path("reports/mine/", views.report_mine, name="mine"),
    path("reports/map/", views.report_map, name="map"),
    path("reports/<int:report_id>/", views.report_detail, name="detail"),
    *[
        path(
            f"reports/<int:report_id>/{action}/",
            views.report_reporter_action,
            {"action": action},
            name=action,
        )
        for action in ("confirm", "reopen", "support")
    ],
]
