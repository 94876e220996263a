"""The needs app's worker pages (H5)."""

app_name = "needs"

urlpatterns: list = []
