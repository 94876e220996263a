"""Workers registered before the vehicle was asked for: drivers drive, everyone else keeps the
e-bike the new column defaulted to."""

from django.db import migrations

DRIVING = ("ride_hailing_driver", "truck_driver")


def drivers_by_car(apps, schema_editor):
    WorkerProfile = apps.get_model("accounts", "WorkerProfile")
    WorkerProfile.objects.filter(occupation__in=DRIVING).update(vehicle="car")


def back_to_the_default(apps, schema_editor):
    WorkerProfile = apps.get_model("accounts", "WorkerProfile")
    WorkerProfile.objects.filter(occupation__in=DRIVING).update(vehicle="e_bike")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_workerprofile_vehicle")]

    operations = [migrations.RunPython(drivers_by_car, back_to_the_default)]
