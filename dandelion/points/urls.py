"""The points app's worker pages (H5)."""

app_name = "points"

urlpatterns: list = []
