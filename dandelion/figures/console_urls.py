"""The figures app's staff console pages, under /console/figures/."""

app_name = "figures_console"

urlpatterns: list = []
