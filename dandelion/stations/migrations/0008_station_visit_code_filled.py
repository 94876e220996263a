"""Give every existing station its own visit code secret (192 random bits, URL-safe), so the
posters printed from now on carry a secret instead of the public uuid. Backwards: nothing to
undo (the previous migration's reverse drops the column)."""

import secrets

from django.db import migrations


def forwards(apps, schema_editor):
    Station = apps.get_model("stations", "Station")
    for station in Station.objects.filter(visit_code__isnull=True).only("pk").iterator():
        Station.objects.filter(pk=station.pk).update(visit_code=secrets.token_urlsafe(24))


class Migration(migrations.Migration):
    dependencies = [("stations", "0007_station_visit_code_added")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
