"""The volunteering app's worker pages (H5)."""

app_name = "volunteering"

urlpatterns: list = []
