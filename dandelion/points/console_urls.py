"""The points app's staff console pages, under /console/points/."""

app_name = "points_console"

urlpatterns: list = []
