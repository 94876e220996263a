"""The volunteering app's staff console pages, under /console/volunteering/."""

app_name = "volunteering_console"

urlpatterns: list = []
