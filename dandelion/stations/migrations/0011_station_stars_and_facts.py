"""Stations gain their star level (星级) and its validity, a seat count, and when their facts
were last confirmed.

SQLite adds a column with a default, or a check constraint, by rebuilding the table, which drops
the places-version triggers of 0004 that nearby search relies on; they are created again right
after (in either direction), as in 0009. PostgreSQL alters the table in place and keeps them."""

import django.core.validators
from django.db import migrations, models

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
    dependencies = [("stations", "0010_visit_verified_and_flagged")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, station_triggers_restore),
        migrations.AddField(
            model_name="station",
            name="facts_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="信息核实时间"),
        ),
        migrations.AddField(
            model_name="station",
            name="seats",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(10000)],
                verbose_name="座位数",
            ),
        ),
        migrations.AddField(
            model_name="station",
            name="stars",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[django.core.validators.MaxValueValidator(5)],
                verbose_name="星级",
            ),
        ),
        migrations.AddField(
            model_name="station",
            name="stars_valid_until",
            field=models.DateField(blank=True, null=True, verbose_name="星级有效期至"),
        ),
        migrations.AddConstraint(
            model_name="station",
            constraint=models.CheckConstraint(
                condition=models.Q(("seats__isnull", True), ("seats__lte", 10000), _connector="OR"),
                name="station_seats_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="station",
            constraint=models.CheckConstraint(
                condition=models.Q(("stars__gte", 0), ("stars__lte", 5)),
                name="station_stars_range",
            ),
        ),
        migrations.RunPython(station_triggers_restore, migrations.RunPython.noop),
    ]
