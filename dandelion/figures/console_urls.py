"""The figures app's staff console pages, under /console/figures/."""

from django.urls import path

from . import console

app_name = "figures_console"

urlpatterns = [
    path("", console.dashboard, name="dashboard"),
    path("export.xlsx", console.export_xlsx, name="export_xlsx"),
    path("export/<slug:table>.csv", console.export_csv, name="export_csv"),
    path("brief/", console.brief_page, name="brief"),
    path("brief.pdf", console.brief_download, name="brief_pdf"),
]
