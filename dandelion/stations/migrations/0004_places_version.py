"""The places version row and the triggers that change its token on every write that nearby
search depends on (see `PlacesVersion` and `place_index`)."""

from django.db import migrations, models

WATCHED_TABLES = (
    "stations_station",
    "stations_partnerplace",
    "stations_station_amenities",
    "stations_partnerplace_amenities",
    "stations_openinginterval",
    "stations_hoursexception",
    "stations_amenity",
    "regions_region",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION stations_places_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stations_placesversion (id, token)
    VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$
"""


# Not INSERT OR REPLACE: SQLite applies the firing statement's conflict policy to the trigger's
# statements, so an INSERT OR IGNORE (Django's m2m add) would silently skip the bump.
SQLITE_BUMP = """
UPDATE stations_placesversion SET token = lower(hex(randomblob(16))) WHERE id = 1;
INSERT INTO stations_placesversion (id, token)
SELECT 1, lower(hex(randomblob(16)))
WHERE NOT EXISTS (SELECT 1 FROM stations_placesversion WHERE id = 1);
"""


def _trigger_name(table: str, event: str = "") -> str:
    return f"{table}_changed{'_' + event.lower() if event else ''}"


def triggers_create(apps, schema_editor):
    execute = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        execute(POSTGRES_FUNCTION)
        for table in WATCHED_TABLES:
            execute(
                f"CREATE TRIGGER {_trigger_name(table)} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION stations_places_changed()"
            )
    elif vendor == "sqlite":
        for table in WATCHED_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                execute(
                    f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
                    f"BEGIN {SQLITE_BUMP} END"
                )
    else:  # pragma: no cover - the project supports these two databases
        raise NotImplementedError(f"No places-version triggers for {vendor}.")
    execute("INSERT INTO stations_placesversion (id, token) VALUES (1, 'initial')")


def triggers_drop(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED_TABLES:
            execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
        execute("DROP FUNCTION IF EXISTS stations_places_changed()")
    else:
        for table in WATCHED_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("stations", "0003_station_unique_name_in_region"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlacesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
