from django.urls import path

app_name = "stations"

urlpatterns: list = [
    # QR codes, posters and import/export pages are added here.
]
