"""The standards app's staff console pages, under /console/standards/."""

app_name = "standards_console"

urlpatterns: list = []
