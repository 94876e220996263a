"""The figures app's public pages: open data at /open-data/."""

app_name = "figures"

urlpatterns: list = []
