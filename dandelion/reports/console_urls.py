"""The reports app's staff console pages, under /console/reports/."""

app_name = "reports_console"

urlpatterns: list = []
