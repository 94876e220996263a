"""Copy the visit log from volunteering's table into stations' (same ids, so the points
ledger's `station_visit:<id>` keys still name the same visits); backwards, copy them back.

One INSERT … SELECT, then the id sequence moved past the copied ids (PostgreSQL; SQLite's
AUTOINCREMENT follows explicit ids by itself)."""

from django.core.management.color import no_style
from django.db import migrations

COLUMNS = ("id", "user_id", "station_id", "day", "visited_at", "city_code")


def _copy(apps, schema_editor, source_label: str, target_label: str) -> None:
    source = apps.get_model(*source_label.split("."))
    target = apps.get_model(*target_label.split("."))
    quote = schema_editor.quote_name
    columns = ", ".join(quote(c) for c in COLUMNS)
    schema_editor.execute(
        f"INSERT INTO {quote(target._meta.db_table)} ({columns}) "
        f"SELECT {columns} FROM {quote(source._meta.db_table)}"
    )
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [target]):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _copy(apps, schema_editor, "volunteering.StationVisit", "stations.StationVisit")


def backwards(apps, schema_editor):
    _copy(apps, schema_editor, "stations.StationVisit", "volunteering.StationVisit")


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0005_station_visit"),
        ("volunteering", "0001_activities_signups_attendance_visits"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
