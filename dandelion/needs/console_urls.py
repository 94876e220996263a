"""The needs app's staff console pages, under /console/needs/."""

app_name = "needs_console"

urlpatterns: list = []
