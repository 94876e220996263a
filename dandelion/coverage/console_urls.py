"""The coverage app's staff console pages, under /console/coverage/."""

app_name = "coverage_console"

urlpatterns: list = []
