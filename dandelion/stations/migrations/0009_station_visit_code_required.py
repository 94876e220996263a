"""Every station has its visit code secret now: required, unique, and new stations get one.

SQLite alters a column by rebuilding the table, which drops the table's triggers, among them
the places-version triggers of 0004 that nearby search relies on; they are created again right
after (in either direction). PostgreSQL alters the column in place and keeps them."""

from django.db import migrations, models

import dandelion.stations.models

# As in 0004_places_version, frozen here.
SQLITE_BUMP = """
UPDATE stations_placesversion SET token = lower(hex(randomblob(16))) WHERE id = 1;
INSERT INTO stations_placesversion (id, token)
SELECT 1, lower(hex(randomblob(16)))
WHERE NOT EXISTS (SELECT 1 FROM stations_placesversion WHERE id = 1);
"""


def station_triggers_restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"stations_station_changed_{event.lower()}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON stations_station BEGIN {SQLITE_BUMP} END"
        )


class Migration(migrations.Migration):
    dependencies = [("stations", "0008_station_visit_code_filled")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, station_triggers_restore),
        migrations.AlterField(
            model_name="station",
            name="visit_code",
            field=models.CharField(
                default=dandelion.stations.models.new_visit_code,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="打卡码密钥",
            ),
        ),
        migrations.RunPython(station_triggers_restore, migrations.RunPython.noop),
    ]
