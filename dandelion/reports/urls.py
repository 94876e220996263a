"""The reports app's worker pages (H5)."""

app_name = "reports"

urlpatterns: list = []
